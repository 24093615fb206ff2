package com.vlaapi.billing.usage;

import java.time.Instant;
import java.util.OptionalLong;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * What is still on its way to billing: the rows waiting in inference-service's usage outbox
 * ({@code inference.usage_outbox}, same database, read-only here). Billing uses it to refuse
 * finalizing a month whose usage has not all arrived, and for the pipeline's lag and backlog.
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

    /** Empty when inference-service's outbox does not exist (yet) in this database. */
    public java.util.Optional<Backlog> backlog() {
        if (!outboxExists()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.ofNullable(jdbc.queryForObject("""
                SELECT count(*), COALESCE(EXTRACT(EPOCH FROM now() - min(served_at)), 0)
                FROM inference.usage_outbox""", (rs, n) -> new Backlog(rs.getLong(1), rs.getDouble(2))));
    }

    /** Events served before {@code end} and not yet delivered; empty when the outbox cannot be read. */
    public OptionalLong waitingServedBefore(Instant end) {
        // Checked first: inside a transaction a failed query would abort everything after it.
        if (!outboxExists()) {
            return OptionalLong.empty();
        }
        try {
            Long waiting = jdbc.queryForObject("SELECT count(*) FROM inference.usage_outbox WHERE served_at < ?",
                    Long.class, UsageCounts.utc(end));
            return OptionalLong.of(waiting == null ? 0 : waiting);
        } catch (DataAccessException e) {
            return OptionalLong.empty();
        }
    }

    private boolean outboxExists() {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT to_regclass('inference.usage_outbox') IS NOT NULL", Boolean.class));
    }
}
