package com.vlaapi.inference.requestlog;

import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Billable usage straight from the request log (successful inferences in a calendar month, UTC),
 * for the gateway to correct its Redis counters after Redis was unreachable. Internal: needs the
 * internal token like everything outside /actuator.
 */
@RestController
class MonthlyUsageController {

    /** What the request log says one customer used in one month. */
    record MonthlyUsage(UUID customerId, String month, long successfulRequests) {
    }

    private final JdbcTemplate jdbc;

    MonthlyUsageController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/internal/v1/usage/{customerId}")
    MonthlyUsage usage(@PathVariable UUID customerId, @RequestParam YearMonth month) {
        OffsetDateTime from = month.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC);
        Long count = jdbc.queryForObject("""
                SELECT count(*) FROM inference.inference_logs
                WHERE customer_id = ? AND status_code = 200 AND "timestamp" >= ? AND "timestamp" < ?""",
                Long.class, customerId, from, from.plusMonths(1));
        return new MonthlyUsage(customerId, month.toString(), count == null ? 0 : count);
    }
}
