package com.vlaapi.billing.report;

import com.vlaapi.billing.customer.BillableCustomer;
import com.vlaapi.billing.customer.CustomerDirectory;
import com.vlaapi.billing.pricing.Pricing;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Operators' monthly and weekly reports from the request log's successful requests (the same rows
 * billing's usage events come from), read through inference-service's public read model
 * {@code inference.request_log_v1}. The period is read one UTC day at a time, so a month of
 * millions of rows is a sequence of small index-range scans with progress between them.
 */
@Component
class ReportGenerator {

    /** Told after each day is read: {@code done} of {@code total} days, {@code requests} so far. */
    interface Progress {
        void update(int done, int total, long requests);
    }

    /** Per customer and month: sums, so days combine exactly into averages. */
    private static final class Totals {
        long requests;
        double latencySum;
        long latencyCount;
        double safetySum;
        long safetyCount;
        final Map<YearMonth, Long> requestsByMonth = new HashMap<>();
    }

    private final JdbcTemplate jdbc;
    private final CustomerDirectory customers;
    private final Pricing pricing;

    ReportGenerator(JdbcTemplate jdbc, CustomerDirectory customers, Pricing pricing) {
        this.jdbc = jdbc;
        this.customers = customers;
        this.pricing = pricing;
    }

    List<ReportRow> generate(ReportPeriod period, Progress progress) {
        Map<UUID, Totals> totals = new HashMap<>();
        List<LocalDate> days = period.days();
        long requests = 0;
        for (int i = 0; i < days.size(); i++) {
            requests += readDay(days.get(i), totals);
            progress.update(i + 1, days.size(), requests);
        }
        Map<YearMonth, Map<UUID, Long>> earlier = period.wholeMonth() ? Map.of() : requestsEarlierInMonths(period);
        List<ReportRow> rows = new ArrayList<>();
        for (BillableCustomer customer : customers.createdBefore(period.end())) {
            Totals t = totals.getOrDefault(customer.customerId(), new Totals());
            rows.add(new ReportRow(customer.customerId(), customer.companyName(), customer.tier(), t.requests,
                    average(t.latencySum, t.latencyCount, 2), average(t.safetySum, t.safetyCount, 4),
                    revenue(period, customer, t, earlier)));
        }
        rows.sort(Comparator.comparing(ReportRow::revenue).reversed().thenComparing(ReportRow::requests,
                Comparator.reverseOrder()).thenComparing(ReportRow::company));
        return rows;
    }

    private long readDay(LocalDate day, Map<UUID, Totals> totals) {
        long[] requests = {0};
        YearMonth month = YearMonth.from(day);
        jdbc.query("""
                SELECT customer_id, count(*), sum(inference_latency_ms), count(inference_latency_ms),
                       sum(safety_score), count(safety_score)
                FROM inference.request_log_v1
                WHERE status_code = 200 AND "timestamp" >= ? AND "timestamp" < ?
                GROUP BY customer_id""", rs -> {
            Totals t = totals.computeIfAbsent(rs.getObject(1, UUID.class), id -> new Totals());
            long n = rs.getLong(2);
            t.requests += n;
            t.latencySum += rs.getDouble(3);
            t.latencyCount += rs.getLong(4);
            t.safetySum += rs.getDouble(5);
            t.safetyCount += rs.getLong(6);
            t.requestsByMonth.merge(month, n, Long::sum);
            requests[0] += n;
        }, utc(day), utc(day.plusDays(1)));
        return requests[0];
    }

    /**
     * Per UTC day: successful requests and the p50 and p99 of their total latency, computed by
     * PostgreSQL (percentile_cont) over one day's index range at a time, as {@link #generate} reads.
     */
    List<ReportDay> days(ReportPeriod period) {
        return period.days().stream().map(day -> jdbc.queryForObject("""
                SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY total_latency_ms),
                       percentile_cont(0.99) WITHIN GROUP (ORDER BY total_latency_ms)
                FROM inference.request_log_v1
                WHERE status_code = 200 AND "timestamp" >= ? AND "timestamp" < ?""",
                (rs, i) -> new ReportDay(day, rs.getLong(1), rs.getObject(2, Double.class), rs.getObject(3, Double.class)),
                utc(day), utc(day.plusDays(1)))).toList();
    }

    /** For a week: each month's requests before the week began (they use up included requests first). */
    private Map<YearMonth, Map<UUID, Long>> requestsEarlierInMonths(ReportPeriod period) {
        Map<YearMonth, Map<UUID, Long>> earlier = new HashMap<>();
        YearMonth month = YearMonth.from(period.from());
        LocalDate monthStart = month.atDay(1);
        Map<UUID, Long> counts = new HashMap<>();
        if (monthStart.isBefore(period.from())) {
            jdbc.query("""
                    SELECT customer_id, count(*) FROM inference.request_log_v1
                    WHERE status_code = 200 AND "timestamp" >= ? AND "timestamp" < ? GROUP BY customer_id""",
                    rs -> {
                        counts.put(rs.getObject(1, UUID.class), rs.getLong(2));
                    }, utc(monthStart), utc(period.from()));
        }
        earlier.put(month, counts);
        // A week that crosses into the next month starts that month from zero.
        return earlier;
    }

    private BigDecimal revenue(ReportPeriod period, BillableCustomer customer, Totals t,
                               Map<YearMonth, Map<UUID, Long>> earlier) {
        if (period.wholeMonth()) {
            return pricing.monthly(customer.tier(), t.requests).total();
        }
        BigDecimal revenue = BigDecimal.ZERO.setScale(2);
        for (Map.Entry<YearMonth, Long> month : t.requestsByMonth.entrySet()) {
            long before = earlier.getOrDefault(month.getKey(), Map.of()).getOrDefault(customer.customerId(), 0L);
            revenue = revenue.add(pricing.usageAdded(customer.tier(), before, month.getValue()));
        }
        return revenue;
    }

    private static BigDecimal average(double sum, long count, int scale) {
        return count == 0 ? null : BigDecimal.valueOf(sum / count).setScale(scale, RoundingMode.HALF_UP);
    }

    private static OffsetDateTime utc(LocalDate day) {
        return day.atStartOfDay().atOffset(ZoneOffset.UTC);
    }
}
