package com.vlaapi.servicecontract.apikey;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * What an API key looks like: {@code vla_live_}, 43 base62 characters of 256 random bits, then 6 of
 * checksum (CRC32 of everything before it), as GitHub's tokens carry one. customer-service issues
 * keys in this shape; a gateway turns away a mistyped or invented key by its checksum alone,
 * without asking Redis or customer-service. Keys issued before the checksum existed (the 43
 * characters alone) stay valid and are looked up as before.
 */
public final class ApiKeyFormat {

    public static final String PREFIX = "vla_live_";
    public static final int RANDOM_BYTES = 32;
    /** Base62 of {@link #RANDOM_BYTES} bytes is always this wide. */
    private static final int RANDOM_CHARS = 43;
    /** Base62 of a CRC32's 4 bytes. */
    private static final int CHECKSUM_CHARS = 6;

    public enum Shape {
        /** Issued with a checksum, and the checksum holds. */
        CHECKSUMMED,
        /** Issued before keys had a checksum: only a lookup can tell. */
        WITHOUT_CHECKSUM,
        /** No key we ever issued looks like this. */
        INVALID
    }

    private ApiKeyFormat() {
    }

    public static String newKey(byte[] randomBytes) {
        if (randomBytes.length != RANDOM_BYTES) {
            throw new IllegalArgumentException("a key holds " + RANDOM_BYTES + " random bytes, not " + randomBytes.length);
        }
        String body = PREFIX + Base62.encode(randomBytes);
        return body + checksum(body);
    }

    public static Shape shape(String key) {
        if (!key.startsWith(PREFIX) || !isBase62(key, PREFIX.length())) {
            return Shape.INVALID;
        }
        int chars = key.length() - PREFIX.length();
        if (chars == RANDOM_CHARS) {
            return Shape.WITHOUT_CHECKSUM;
        }
        if (chars == RANDOM_CHARS + CHECKSUM_CHARS) {
            int body = key.length() - CHECKSUM_CHARS;
            return checksum(key.substring(0, body)).equals(key.substring(body)) ? Shape.CHECKSUMMED : Shape.INVALID;
        }
        return Shape.INVALID;
    }

    private static String checksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        return Base62.encode(ByteBuffer.allocate(Integer.BYTES).putInt((int) crc.getValue()).array());
    }

    private static boolean isBase62(String key, int from) {
        for (int i = from; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return true;
    }
}
