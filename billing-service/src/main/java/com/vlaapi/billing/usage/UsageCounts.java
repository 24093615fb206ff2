package com.vlaapi.billing.usage;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Stored billable requests per customer in a half-open period [from, to): what invoices bill. */
@Repository
public class UsageCounts {

    private final JdbcTemplate jdbc;

    public UsageCounts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Map<UUID, Long> perCustomer(Instant from, Instant to) {
        Map<UUID, Long> counts = new HashMap<>();
        jdbc.query("""
                SELECT customer_id, count(*) FROM billing.usage_events
                WHERE served_at >= ? AND served_at < ? GROUP BY customer_id""",
                rs -> {
                    counts.put(rs.getObject(1, UUID.class), rs.getLong(2));
                }, utc(from), utc(to));
        return counts;
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
