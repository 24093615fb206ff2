package com.vlaapi.customer.portal.web;

/** The session cookie's name, as server.servlet.session.cookie.name sets it in application.yml. */
final class PortalCookie {

    static final String NAME = "VLA_PORTAL";

    private PortalCookie() {
    }
}
