package com.vlaapi.inference.security;

import java.util.UUID;

/**
 * Who the gateway authenticated: the customer, and the API key used when the gateway says so.
 * Stored as a request attribute by {@link InternalAuthFilter}.
 */
public record Caller(UUID customerId, UUID apiKeyId) {

    public static final String ATTRIBUTE = "vla.caller";
}
