package com.vlaapi.accesstokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The shared secrets callers present: operators (admin API) and the gateway (internal API).
 * Neither has a default, so a forgotten token stops the service at startup instead of leaving an
 * API open or guessable.
 */
@ConfigurationProperties("vla")
public record AccessTokens(String adminToken, String internalToken) {

    public AccessTokens {
        requireConfigured(adminToken, "vla.admin-token", "VLA_ADMIN_TOKEN");
        requireConfigured(internalToken, "vla.internal-token", "VLA_INTERNAL_TOKEN");
    }

    public boolean isAdminToken(String presented) {
        return constantTimeEquals(adminToken, presented);
    }

    public boolean isInternalToken(String presented) {
        return constantTimeEquals(internalToken, presented);
    }

    @Override
    public String toString() {
        return "AccessTokens[adminToken=<redacted>, internalToken=<redacted>]";
    }

    private static void requireConfigured(String token, String property, String environmentVariable) {
        if (token == null || token.isBlank()) {
            throw new IllegalStateException(property + " is not configured: set the environment variable "
                    + environmentVariable + " to a long random secret before starting the service.");
        }
    }

    private static boolean constantTimeEquals(String expected, String presented) {
        return presented != null && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }
}
