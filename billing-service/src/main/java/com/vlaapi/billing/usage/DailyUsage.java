package com.vlaapi.billing.usage;

import java.time.LocalDate;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * One customer's billable requests per UTC day, from {@code billing.usage_daily}: the same counts
 * as {@code usage_events} (triggers keep them equal, V2__usage_daily.sql), read by primary key in
 * one row per day however busy the customer is.
 */
@Repository
public class DailyUsage {

    private final JdbcTemplate jdbc;

    public DailyUsage(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Requests per day in [from, to); days without requests are absent. */
    public SortedMap<LocalDate, Long> of(UUID customerId, LocalDate from, LocalDate to) {
        SortedMap<LocalDate, Long> days = new TreeMap<>();
        jdbc.query("SELECT day, requests FROM billing.usage_daily WHERE customer_id = ? AND day >= ? AND day < ?",
                rs -> {
                    days.put(rs.getObject(1, LocalDate.class), rs.getLong(2));
                }, customerId, from, to);
        return days;
    }
}
