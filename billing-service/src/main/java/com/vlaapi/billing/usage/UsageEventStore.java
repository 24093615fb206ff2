package com.vlaapi.billing.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Stores usage events exactly once: one INSERT of the whole batch (arrays unnested server-side,
 * so a 1,000-event batch is one round trip), skipping request ids already stored. The statement
 * commits before the endpoint answers, so a 2xx means every event in the batch is durable. The
 * same statement adds the events it stored, and only those, to the daily rollup
 * {@code billing.usage_daily}: a trigger on the table does, so that every writer does
 * (V2__usage_daily.sql).
 *
 * <p>Plain JDBC on purpose, unlike invoices: the ingestion hot path (about 100,000 events/s,
 * docs/benchmarks.md) needs the set-based {@code ON CONFLICT DO NOTHING}, which JPA can only
 * emulate with a read per event.
 */
@Repository
class UsageEventStore {

    private static final String INSERT = """
            INSERT INTO billing.usage_events (request_id, customer_id, api_key_id, served_at, model)
            SELECT r, c, k, s::timestamptz, m
            FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::text[]) AS e(r, c, k, s, m)
            ON CONFLICT (request_id) DO NOTHING""";

    private final JdbcTemplate jdbc;

    UsageEventStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Returns how many events were new; the rest were already stored (redeliveries). */
    int store(List<UsageEvent> events) {
        if (events.isEmpty()) {
            return 0;
        }
        int n = events.size();
        UUID[] requests = new UUID[n];
        UUID[] customers = new UUID[n];
        UUID[] keys = new UUID[n];
        // ISO-8601 text with 'Z' keeps full precision and is read by PostgreSQL as an instant.
        String[] servedAt = new String[n];
        String[] models = new String[n];
        for (int i = 0; i < n; i++) {
            UsageEvent e = events.get(i);
            requests[i] = e.requestId();
            customers[i] = e.customerId();
            keys[i] = e.apiKeyId();
            servedAt[i] = e.servedAt().toString();
            models[i] = e.model() == null ? null : e.model().replace("\0", "");
        }
        return jdbc.update(connection -> statement(connection, requests, customers, keys, servedAt, models));
    }

    private static PreparedStatement statement(Connection connection, UUID[] requests, UUID[] customers, UUID[] keys,
                                               String[] servedAt, String[] models) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(INSERT);
        ps.setArray(1, connection.createArrayOf("uuid", requests));
        ps.setArray(2, connection.createArrayOf("uuid", customers));
        ps.setArray(3, connection.createArrayOf("uuid", keys));
        ps.setArray(4, connection.createArrayOf("text", servedAt));
        ps.setArray(5, connection.createArrayOf("text", models));
        return ps;
    }
}
