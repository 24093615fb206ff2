package com.vlaapi.customer.apikey;

import java.time.Instant;
import java.util.UUID;

/**
 * What may be shown about a key after its creation: never the key itself.
 *
 * @param status    as of the query: {@code expired} once {@code expiresAt} has passed
 * @param expiresAt null for a key that does not expire
 */
public record ApiKey(
        UUID keyId,
        String prefix,
        String name,
        ApiKeyStatus status,
        Instant createdAt,
        Instant expiresAt,
        Instant revokedAt,
        Instant lastUsedAt) {
}
