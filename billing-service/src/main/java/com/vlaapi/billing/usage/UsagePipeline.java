package com.vlaapi.billing.usage;

import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * What is still on its way to billing: the requests waiting in inference-service's usage outbox,
 * as its public read model {@code inference.usage_in_transit_v1} shows them. Billing uses it to
 * refuse finalizing a month whose usage has not all arrived, and for the pipeline's lag and backlog.
 */
@Repository
public class UsagePipeline {

    /** @param lagSeconds how long ago the oldest waiting request was served; 0 when none wait */
    public record Backlog(long events, double lagSeconds) {
    }

    private final JdbcTemplate jdbc;

    public UsagePipeline(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Backlog backlog() {
        return jdbc.queryForObject("""
                SELECT count(*), COALESCE(EXTRACT(EPOCH FROM now() - min(served_at)), 0)
                FROM inference.usage_in_transit_v1""", (rs, n) -> new Backlog(rs.getLong(1), rs.getDouble(2)));
    }

    /** Billable requests served before {@code end} and not yet delivered. */
    public long waitingServedBefore(Instant end) {
        Long waiting = jdbc.queryForObject("SELECT count(*) FROM inference.usage_in_transit_v1 WHERE served_at < ?",
                Long.class, UsageCounts.utc(end));
        return waiting == null ? 0 : waiting;
    }
}
