package com.vlaapi.customer.apikey;

import java.security.SecureRandom;
import org.springframework.stereotype.Component;

/** Keys look like vla_live_ + 43 base62 characters: 256 random bits. */
@Component
class ApiKeyGenerator {

    private static final String KEY_PREFIX = "vla_live_";
    private static final int RANDOM_BYTES = 32;
    private static final int DISPLAYED_RANDOM_CHARS = 4;

    private final SecureRandom random = new SecureRandom();

    GeneratedApiKey generate() {
        byte[] secret = new byte[RANDOM_BYTES];
        random.nextBytes(secret);
        String randomPart = Base62.encode(secret);
        String key = KEY_PREFIX + randomPart;
        return new GeneratedApiKey(key, ApiKeyHashes.sha256Hex(key),
                KEY_PREFIX + randomPart.substring(0, DISPLAYED_RANDOM_CHARS));
    }
}
