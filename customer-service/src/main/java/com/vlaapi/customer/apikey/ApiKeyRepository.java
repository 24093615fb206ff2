package com.vlaapi.customer.apikey;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Every query is scoped to one customer, so a key id from another customer is simply not found.
 * Every statement aliases api_keys as k, the alias {@link ApiKeyStatus#sql} reads the status from,
 * and binds :now, read once from the clock, so status, expiry and revocation agree on one instant.
 */
@Repository
class ApiKeyRepository {

    private static final String COLUMNS = "k.key_id, k.key_hash, k.key_prefix, k.name, " + ApiKeyStatus.sql("k")
            + " AS status, k.created_at, k.expires_at, k.revoked_at, k.last_used_at";
    // Null seconds give a null expires_at: a key that does not expire.
    private static final String NOW_PLUS_SECONDS =
            "CAST(:now AS timestamptz) + CAST(:seconds AS bigint) * interval '1 second'";

    private final JdbcClient jdbc;
    private final Clock clock;

    ApiKeyRepository(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    StoredApiKey insert(UUID customerId, GeneratedApiKey key, String name, Long expiresInSeconds) {
        return jdbc.sql("INSERT INTO api_keys AS k"
                        + " (customer_id, key_hash, key_prefix, name, status, created_at, expires_at)"
                        + " VALUES (:customerId, :keyHash, :keyPrefix, :name, 'active', CAST(:now AS timestamptz), "
                        + NOW_PLUS_SECONDS + ") RETURNING " + COLUMNS)
                .param("now", now())
                .param("customerId", customerId)
                .param("keyHash", key.hash())
                .param("keyPrefix", key.prefix())
                .param("name", name)
                .param("seconds", expiresInSeconds)
                .query(ApiKeyRepository::toStoredApiKey)
                .single();
    }

    List<ApiKey> findByCustomer(UUID customerId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys k WHERE k.customer_id = :customerId"
                        + " ORDER BY k.created_at, k.key_id")
                .param("now", now())
                .param("customerId", customerId)
                .query(ApiKeyRepository::toStoredApiKey)
                .list()
                .stream()
                .map(StoredApiKey::key)
                .toList();
    }

    /** Every key of the customer, whatever its status: what a change to the customer invalidates. */
    List<String> hashesOf(UUID customerId) {
        return jdbc.sql("SELECT key_hash FROM api_keys WHERE customer_id = :customerId ORDER BY created_at, key_id")
                .param("customerId", customerId)
                .query(String.class)
                .list();
    }

    /** Locks the key's row until the transaction ends, so concurrent changes to it apply one after the other. */
    Optional<StoredApiKey> findForUpdate(UUID customerId, UUID keyId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys k WHERE k.customer_id = :customerId AND k.key_id = :keyId"
                        + " FOR UPDATE")
                .param("now", now())
                .param("customerId", customerId)
                .param("keyId", keyId)
                .query(ApiKeyRepository::toStoredApiKey)
                .optional();
    }

    /** Revoking an already revoked key keeps its first revocation time. */
    Optional<StoredApiKey> revoke(UUID customerId, UUID keyId) {
        return jdbc.sql("""
                        UPDATE api_keys k
                        SET status = 'revoked', revoked_at = coalesce(revoked_at, CAST(:now AS timestamptz))
                        WHERE k.customer_id = :customerId AND k.key_id = :keyId
                        RETURNING\s""" + COLUMNS)
                .param("now", now())
                .param("customerId", customerId)
                .param("keyId", keyId)
                .query(ApiKeyRepository::toStoredApiKey)
                .optional();
    }

    StoredApiKey setExpiry(UUID customerId, UUID keyId, long expiresInSeconds) {
        return jdbc.sql("UPDATE api_keys k SET expires_at = " + NOW_PLUS_SECONDS
                        + " WHERE k.customer_id = :customerId AND k.key_id = :keyId RETURNING " + COLUMNS)
                .param("now", now())
                .param("customerId", customerId)
                .param("keyId", keyId)
                .param("seconds", expiresInSeconds)
                .query(ApiKeyRepository::toStoredApiKey)
                .single();
    }

    /** Sets the expiry to now + seconds, unless the key already expires sooner (LEAST skips a null). */
    StoredApiKey expireWithin(UUID customerId, UUID keyId, long seconds) {
        return jdbc.sql("UPDATE api_keys k SET expires_at = LEAST(expires_at, " + NOW_PLUS_SECONDS + ")"
                        + " WHERE k.customer_id = :customerId AND k.key_id = :keyId RETURNING " + COLUMNS)
                .param("now", now())
                .param("customerId", customerId)
                .param("keyId", keyId)
                .param("seconds", seconds)
                .query(ApiKeyRepository::toStoredApiKey)
                .single();
    }

    /** Bound as an offset time: the PostgreSQL driver does not take an Instant. */
    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static StoredApiKey toStoredApiKey(ResultSet row, int rowNumber) throws SQLException {
        ApiKey key = new ApiKey(
                row.getObject("key_id", UUID.class),
                row.getString("key_prefix"),
                row.getString("name"),
                ApiKeyStatus.fromId(row.getString("status")),
                instant(row, "created_at"),
                instant(row, "expires_at"),
                instant(row, "revoked_at"),
                instant(row, "last_used_at"));
        return new StoredApiKey(key, row.getString("key_hash"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value != null ? value.toInstant() : null;
    }
}
