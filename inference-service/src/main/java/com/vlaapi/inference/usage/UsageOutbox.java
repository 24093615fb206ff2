package com.vlaapi.inference.usage;

import com.vlaapi.inference.postgres.BinaryCopyRows;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * {@code inference.usage_outbox} (V3), this package's table: billable requests waiting for the
 * relay. The request log queues them in its own transaction ({@link #enqueue}), so a request is
 * logged and queued for billing together or not at all. Claims lock their rows
 * ({@code FOR UPDATE SKIP LOCKED}) so that several inference-service instances relay disjoint
 * batches; callers must hold a transaction.
 */
@Repository
public class UsageOutbox {

    /** Rows waiting, and how old the oldest is; {@code oldestAgeSeconds} is 0 when none wait. */
    record Backlog(long events, double oldestAgeSeconds) {
    }

    private static final String CLAIM = """
            SELECT request_id, customer_id, api_key_id, served_at, model FROM inference.usage_outbox
            ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED""";
    private static final String COPY = """
            COPY inference.usage_outbox (request_id, customer_id, api_key_id, served_at, model) FROM STDIN (FORMAT binary)""";
    private static final int COLUMNS = 5;
    private static final String INSERT_NEW = """
            INSERT INTO inference.usage_outbox (request_id, customer_id, api_key_id, served_at, model)
            VALUES (?, ?, ?, ?, ?) ON CONFLICT (request_id) DO NOTHING""";

    private final JdbcTemplate jdbc;

    UsageOutbox(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Queues requests none of which is queued yet, with binary COPY (the request log's fast path,
     * docs/benchmarks.md); call inside the transaction that logs them.
     */
    public void enqueue(List<UsageEvent> events) {
        BinaryCopyRows rows = new BinaryCopyRows(events.size() * 96);
        for (UsageEvent event : events) {
            rows.row(COLUMNS).uuid(event.requestId()).uuid(event.customerId()).uuid(event.apiKeyId())
                    .timestamptz(event.servedAt()).text(event.model());
        }
        rows.copyInto(jdbc, COPY);
    }

    /** Queues requests, skipping any already queued; call inside the transaction that logs them. */
    public void enqueueSkippingQueued(List<UsageEvent> events) {
        jdbc.batchUpdate(INSERT_NEW, events, events.size(), (ps, event) -> {
            ps.setObject(1, event.requestId());
            ps.setObject(2, event.customerId());
            ps.setObject(3, event.apiKeyId(), Types.OTHER);
            ps.setObject(4, OffsetDateTime.ofInstant(event.servedAt(), ZoneOffset.UTC));
            ps.setString(5, event.model());
        });
    }

    List<UsageEvent> claim(int limit) {
        return jdbc.query(CLAIM, UsageOutbox::event, limit);
    }

    void delete(List<UsageEvent> events) {
        UUID[] ids = events.stream().map(UsageEvent::requestId).toArray(UUID[]::new);
        jdbc.update(connection -> {
            PreparedStatement ps = connection.prepareStatement(
                    "DELETE FROM inference.usage_outbox WHERE request_id = ANY(?)");
            ps.setArray(1, connection.createArrayOf("uuid", ids));
            return ps;
        });
    }

    Backlog backlog() {
        return jdbc.queryForObject("""
                SELECT count(*), COALESCE(EXTRACT(EPOCH FROM now() - min(served_at)), 0)
                FROM inference.usage_outbox""", (rs, n) -> new Backlog(rs.getLong(1), rs.getDouble(2)));
    }

    private static UsageEvent event(ResultSet rs, int row) throws SQLException {
        return new UsageEvent(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getString(5));
    }
}
