package com.vlaapi.customer.internal;

import com.vlaapi.customer.apikey.ApiKeyStatus;
import com.vlaapi.customer.customer.CustomerStatus;
import com.vlaapi.customer.customer.Tier;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class GatewayKeyRepository {

    private final JdbcClient jdbc;

    GatewayKeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<GatewayKey> findByHash(String keyHash) {
        return jdbc.sql("""
                        SELECT k.key_id, k.customer_id, k.status AS key_status, c.status AS customer_status,
                               c.tier, c.monthly_quota, c.rate_limit_per_minute
                        FROM api_keys k JOIN customers c ON c.customer_id = k.customer_id
                        WHERE k.key_hash = :keyHash""")
                .param("keyHash", keyHash)
                .query((row, rowNumber) -> new GatewayKey(
                        row.getObject("key_id", UUID.class),
                        row.getObject("customer_id", UUID.class),
                        ApiKeyStatus.fromId(row.getString("key_status")),
                        CustomerStatus.fromId(row.getString("customer_status")),
                        Tier.fromId(row.getString("tier")).orElseThrow(),
                        row.getLong("monthly_quota"),
                        row.getInt("rate_limit_per_minute")))
                .optional();
    }

    /** At most one write per key per minute, however often the gateway looks it up. */
    void recordUse(UUID keyId) {
        jdbc.sql("""
                        UPDATE api_keys SET last_used_at = now()
                        WHERE key_id = :keyId AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')""")
                .param("keyId", keyId)
                .update();
    }
}
