package com.vlaapi.customer.portal.web;

import java.io.Serializable;
import java.util.UUID;

/** What a signed-in session remembers: who, not what they may do (that is read again on every page). */
record PortalSession(UUID userId, UUID customerId) implements Serializable {
}
