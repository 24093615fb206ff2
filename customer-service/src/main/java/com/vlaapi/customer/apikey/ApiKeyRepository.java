package com.vlaapi.customer.apikey;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Every query is scoped to one customer, so a key id from another customer is simply not found. */
@Repository
class ApiKeyRepository {

    private static final String COLUMNS = "key_id, key_prefix, name, status, created_at, revoked_at, last_used_at";

    private final JdbcClient jdbc;

    ApiKeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    ApiKey insert(UUID customerId, GeneratedApiKey key, String name) {
        return jdbc.sql("""
                        INSERT INTO api_keys (customer_id, key_hash, key_prefix, name, status)
                        VALUES (:customerId, :keyHash, :keyPrefix, :name, 'active')
                        RETURNING\s""" + COLUMNS)
                .param("customerId", customerId)
                .param("keyHash", key.hash())
                .param("keyPrefix", key.prefix())
                .param("name", name)
                .query(ApiKeyRepository::toApiKey)
                .single();
    }

    List<ApiKey> findByCustomer(UUID customerId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys WHERE customer_id = :customerId ORDER BY created_at, key_id")
                .param("customerId", customerId)
                .query(ApiKeyRepository::toApiKey)
                .list();
    }

    /** Revoking an already revoked key keeps its first revocation time. */
    Optional<ApiKey> revoke(UUID customerId, UUID keyId) {
        return jdbc.sql("""
                        UPDATE api_keys SET status = 'revoked', revoked_at = coalesce(revoked_at, now())
                        WHERE customer_id = :customerId AND key_id = :keyId
                        RETURNING\s""" + COLUMNS)
                .param("customerId", customerId)
                .param("keyId", keyId)
                .query(ApiKeyRepository::toApiKey)
                .optional();
    }

    private static ApiKey toApiKey(ResultSet row, int rowNumber) throws SQLException {
        return new ApiKey(
                row.getObject("key_id", UUID.class),
                row.getString("key_prefix"),
                row.getString("name"),
                ApiKeyStatus.fromId(row.getString("status")),
                instant(row, "created_at"),
                instant(row, "revoked_at"),
                instant(row, "last_used_at"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value != null ? value.toInstant() : null;
    }
}
