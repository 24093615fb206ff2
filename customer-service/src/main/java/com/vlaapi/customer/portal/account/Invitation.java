package com.vlaapi.customer.portal.account;

import java.net.URI;
import java.time.Instant;

/** A new user and the one-time link that sets their password: the link is shown once and stored only hashed. */
public record Invitation(PortalUser user, URI link, Instant expiresAt) {
}
