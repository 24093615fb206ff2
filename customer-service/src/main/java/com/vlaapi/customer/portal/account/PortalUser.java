package com.vlaapi.customer.portal.account;

import java.time.Instant;
import java.util.UUID;

/**
 * A person who signs in to the portal for one customer.
 *
 * @param active       false until the user has set a password through their invitation
 * @param secondFactor whether signing in also asks for a code from an authenticator app
 */
public record PortalUser(UUID userId, UUID customerId, String email, PortalRole role, boolean active,
                         Instant invitedAt, boolean secondFactor) {

    public boolean isAdmin() {
        return role == PortalRole.ADMIN;
    }
}
