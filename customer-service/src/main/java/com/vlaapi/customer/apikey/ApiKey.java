package com.vlaapi.customer.apikey;

import java.time.Instant;
import java.util.UUID;

/** What may be shown about a key after its creation: never the key itself. */
public record ApiKey(
        UUID keyId,
        String prefix,
        String name,
        ApiKeyStatus status,
        Instant createdAt,
        Instant revokedAt,
        Instant lastUsedAt) {
}
