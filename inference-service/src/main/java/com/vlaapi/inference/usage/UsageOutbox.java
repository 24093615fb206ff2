package com.vlaapi.inference.usage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * {@code inference.usage_outbox} (V3), filled by the request-log writer in the log's own
 * transaction. Claims lock their rows ({@code FOR UPDATE SKIP LOCKED}) so that several
 * inference-service instances relay disjoint batches; callers must hold a transaction.
 */
@Repository
class UsageOutbox {

    /** Rows waiting, and how old the oldest is; {@code oldestAgeSeconds} is 0 when none wait. */
    record Backlog(long events, double oldestAgeSeconds) {
    }

    private static final String CLAIM = """
            SELECT request_id, customer_id, api_key_id, served_at, model FROM inference.usage_outbox
            ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED""";

    private final JdbcTemplate jdbc;

    UsageOutbox(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
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
