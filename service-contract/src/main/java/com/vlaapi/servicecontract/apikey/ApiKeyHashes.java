package com.vlaapi.servicecontract.apikey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The stored form of a key: hex SHA-256 of the whole key string. A plain hash is enough because
 * keys carry 256 random bits. customer-service stores it, and the gateway computes the same hash
 * to look a key up, so it is written once, here.
 */
public final class ApiKeyHashes {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private ApiKeyHashes() {
    }

    public static String sha256Hex(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime ships SHA-256", e);
        }
    }

    public static boolean isSha256Hex(String candidate) {
        return SHA256_HEX.matcher(candidate).matches();
    }
}
