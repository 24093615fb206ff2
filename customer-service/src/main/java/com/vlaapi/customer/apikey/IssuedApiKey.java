package com.vlaapi.customer.apikey;

import java.time.Instant;
import java.util.UUID;

/** A new key as returned once, in the creation response; it cannot be retrieved again. */
public record IssuedApiKey(UUID keyId, String key, String prefix, String name, Instant createdAt, Instant expiresAt) {

    @Override
    public String toString() {
        return "IssuedApiKey[keyId=" + keyId + ", prefix=" + prefix + ", key=<redacted>]";
    }
}
