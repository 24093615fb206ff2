package com.vlaapi.customer.apikey;

import com.vlaapi.servicecontract.apikey.ApiKeyFormat;
import com.vlaapi.servicecontract.apikey.ApiKeyHashes;
import java.security.SecureRandom;
import org.springframework.stereotype.Component;

/** Keys in the fleet's one format ({@link ApiKeyFormat}): 256 random bits and a checksum. */
@Component
class ApiKeyGenerator {

    private static final int DISPLAYED_RANDOM_CHARS = 4;

    private final SecureRandom random = new SecureRandom();

    GeneratedApiKey generate() {
        byte[] secret = new byte[ApiKeyFormat.RANDOM_BYTES];
        random.nextBytes(secret);
        String key = ApiKeyFormat.newKey(secret);
        return new GeneratedApiKey(key, ApiKeyHashes.sha256Hex(key),
                key.substring(0, ApiKeyFormat.PREFIX.length() + DISPLAYED_RANDOM_CHARS));
    }
}
