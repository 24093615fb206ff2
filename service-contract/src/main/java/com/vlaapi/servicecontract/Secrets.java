package com.vlaapi.servicecontract;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** How every service compares a presented secret with the configured one. */
public final class Secrets {

    private Secrets() {
    }

    /**
     * Constant time: both sides are hashed first, so the comparison takes as long whatever the
     * lengths are and wherever the first difference is.
     */
    public static boolean matches(String expected, String presented) {
        return presented != null && MessageDigest.isEqual(sha256(expected), sha256(presented));
    }

    /** Refuses to start without a secret, rather than leave an API open or guessable. */
    public static void requireConfigured(String secret, String property, String environmentVariable) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalStateException(property + " is not configured: set the environment variable "
                    + environmentVariable + " to a long random secret before starting the service.");
        }
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime ships SHA-256", e);
        }
    }
}
