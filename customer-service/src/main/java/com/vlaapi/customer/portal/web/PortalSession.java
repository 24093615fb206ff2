package com.vlaapi.customer.portal.web;

import java.io.Serializable;
import java.security.Principal;
import java.util.UUID;

/**
 * What a signed-in session remembers: who, not what they may do (that is read again on every page).
 * Its name, the user id, is the session's principal_name in PostgreSQL.
 */
record PortalSession(UUID userId, UUID customerId) implements Principal, Serializable {

    @Override
    public String getName() {
        return userId.toString();
    }
}
