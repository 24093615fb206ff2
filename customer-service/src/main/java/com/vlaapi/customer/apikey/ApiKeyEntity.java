package com.vlaapi.customer.apikey;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of {@code api_keys}. Only {@code active} and {@code revoked} are stored: a key is
 * {@code expired} from its {@code expires_at} on, computed when it is read, so it stops working on
 * time without a job flipping its row.
 */
@Entity
@Table(name = "api_keys")
class ApiKeyEntity {

    private static final String ACTIVE = "active";
    private static final String REVOKED = "revoked";

    @Id
    private UUID keyId;
    private UUID customerId;
    /** Hex SHA-256 of the full key: the key itself is never stored. */
    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(length = 64)
    private String keyHash;
    private String keyPrefix;
    private String name;
    private String status;
    private Instant createdAt;
    private Instant expiresAt;
    private Instant revokedAt;
    private Instant lastUsedAt;

    protected ApiKeyEntity() {
    }

    ApiKeyEntity(UUID customerId, GeneratedApiKey key, String name, Instant now, Instant expiresAt) {
        this.keyId = UUID.randomUUID();
        this.customerId = customerId;
        this.keyHash = key.hash();
        this.keyPrefix = key.prefix();
        this.name = name;
        this.status = ACTIVE;
        this.createdAt = now;
        this.expiresAt = expiresAt;
    }

    ApiKeyStatus statusAt(Instant now) {
        if (REVOKED.equals(status)) {
            return ApiKeyStatus.REVOKED;
        }
        return expiresAt != null && !expiresAt.isAfter(now) ? ApiKeyStatus.EXPIRED : ApiKeyStatus.ACTIVE;
    }

    /** Revoking again keeps the first revocation time. */
    void revoke(Instant now) {
        status = REVOKED;
        if (revokedAt == null) {
            revokedAt = now;
        }
    }

    void expireAt(Instant at) {
        expiresAt = at;
    }

    /** Expires at {@code at} unless the key already expires sooner. */
    void expireBy(Instant at) {
        if (expiresAt == null || at.isBefore(expiresAt)) {
            expiresAt = at;
        }
    }

    String keyHash() {
        return keyHash;
    }

    String name() {
        return name;
    }

    StoredApiKey toStored(Instant now) {
        return new StoredApiKey(new ApiKey(keyId, keyPrefix, name, statusAt(now), createdAt, expiresAt, revokedAt,
                lastUsedAt), keyHash);
    }
}
