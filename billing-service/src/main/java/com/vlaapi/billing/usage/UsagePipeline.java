package com.vlaapi.billing.usage;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * What is still on its way to billing: the requests waiting in inference-service's usage outbox,
 * as its public read model {@code inference.usage_in_transit_v1} shows them, and those still in an
 * instance's request journal ({@code inference.request_journals_v1}). Billing uses them to refuse
 * finalizing a month whose usage has not all arrived, and the outbox for the pipeline's lag and backlog.
 */
@Repository
public class UsagePipeline {

    /** @param lagSeconds how long ago the oldest waiting request was served; 0 when none wait */
    public record Backlog(long events, double lagSeconds) {
    }

    /**
     * A request is billed to the month it arrived in and journaled when answered: by this long
     * after the month's end, every request of the month is in a journal.
     */
    static final Duration ANSWERED_WITHIN = Duration.ofMinutes(5);

    private final JdbcTemplate jdbc;

    public UsagePipeline(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Backlog backlog() {
        return jdbc.queryForObject("""
                SELECT count(*), COALESCE(EXTRACT(EPOCH FROM now() - min(served_at)), 0)
                FROM inference.usage_in_transit_v1""", (rs, n) -> new Backlog(rs.getLong(1), rs.getDouble(2)));
    }

    /**
     * The inference instances' request journals that may still hold requests served before
     * {@code end}: open ones not yet stored through {@link #ANSWERED_WITHIN} after it (their
     * instance is behind, cannot reach the database, or crashed and was not started again).
     */
    public List<String> journalsBehind(Instant end) {
        return jdbc.query("""
                SELECT journal_id, stored_through FROM inference.request_journals_v1
                WHERE NOT closed AND stored_through < ? ORDER BY stored_through""",
                (rs, n) -> rs.getString(1) + " (stored through " + rs.getObject(2, OffsetDateTime.class).toInstant() + ")",
                UsageCounts.utc(end.plus(ANSWERED_WITHIN)));
    }

    /** Billable requests served before {@code end} and not yet delivered. */
    public long waitingServedBefore(Instant end) {
        Long waiting = jdbc.queryForObject("SELECT count(*) FROM inference.usage_in_transit_v1 WHERE served_at < ?",
                Long.class, UsageCounts.utc(end));
        return waiting == null ? 0 : waiting;
    }
}
