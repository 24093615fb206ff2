package com.vlaapi.customer.internal;

import com.vlaapi.customer.apikey.ApiKeyStatus;
import com.vlaapi.customer.customer.CustomerStatus;
import com.vlaapi.customer.customer.Tier;
import com.vlaapi.customer.customer.TierProperties;
import com.vlaapi.servicecontract.LowerCaseId;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The gateway's two calls stay on plain JDBC: a key lookup is one join read, not an entity, and a
 * batch of last uses is one set-based UPDATE (loading each key as an entity would cost a read per key).
 */
@Repository
class GatewayKeyRepository {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TierProperties tiers;

    GatewayKeyRepository(JdbcClient jdbc, Clock clock, TierProperties tiers) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.tiers = tiers;
    }

    Optional<GatewayKey> findByHash(String keyHash) {
        return jdbc.sql("SELECT k.key_id, k.customer_id, " + ApiKeyStatus.sql("k") + " AS key_status,"
                        + " c.status AS customer_status, c.tier, c.monthly_quota, c.rate_limit_per_minute, k.expires_at"
                        + " FROM api_keys k JOIN customers c ON c.customer_id = k.customer_id"
                        + " WHERE k.key_hash = :keyHash")
                .param("keyHash", keyHash)
                .param("now", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .query((row, rowNumber) -> {
                    OffsetDateTime expiresAt = row.getObject("expires_at", OffsetDateTime.class);
                    Tier tier = LowerCaseId.fromId(Tier.class, row.getString("tier")).orElseThrow();
                    return new GatewayKey(
                            row.getObject("key_id", UUID.class),
                            row.getObject("customer_id", UUID.class),
                            LowerCaseId.fromId(ApiKeyStatus.class, row.getString("key_status")).orElseThrow(),
                            LowerCaseId.fromId(CustomerStatus.class, row.getString("customer_status")).orElseThrow(),
                            tier,
                            row.getLong("monthly_quota"),
                            row.getInt("rate_limit_per_minute"),
                            tiers.metered(tier),
                            expiresAt != null ? expiresAt.toInstant() : null);
                })
                .optional();
    }

    /**
     * One statement for the whole batch. A time never moves last_used_at back (batches from several
     * gateways arrive in any order); unknown key ids match no row and are skipped.
     */
    void recordUses(List<LastUsedReport.LastUse> uses) {
        jdbc.sql("""
                        UPDATE api_keys k SET last_used_at = GREATEST(COALESCE(k.last_used_at, u.at), u.at)
                        FROM (SELECT key_id, max(at) AS at
                              FROM unnest(CAST(:keyIds AS uuid[]), CAST(:usedAt AS timestamptz[])) AS t (key_id, at)
                              GROUP BY key_id) u
                        WHERE k.key_id = u.key_id""")
                .param("keyIds", uses.stream().map(use -> use.keyId().toString()).toArray(String[]::new))
                .param("usedAt", uses.stream().map(use -> use.at().toString()).toArray(String[]::new))
                .update();
    }
}
