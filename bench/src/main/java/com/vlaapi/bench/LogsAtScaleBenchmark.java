package com.vlaapi.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code bin/vla bench logs-at-scale [ROWS] [RUNS]}: the operators' and billing's queries on a
 * request log of ROWS rows (default 10 million) over the last three months, in a database of its
 * own laid out by the services' own migrations (inference_logs partitioned by month). Fills it with
 * {@code INSERT ... SELECT generate_series} a day at a time (showing progress; 200 customers,
 * skewed: the busiest gets about a sixth of the traffic), VACUUM ANALYZEs, then times each query
 * RUNS times (default 5) and prints the median and the key lines of its EXPLAIN (ANALYZE, BUFFERS):
 * <ul>
 *   <li>the seed's "last 30 days" per-customer latency query, verbatim, as the operators' role;</li>
 *   <li>month-end billing: billing-service's per-customer usage count for the last whole month
 *       (InvoiceGenerator, via UsageCounts, on billing.usage_events, filled with that month's
 *       billable rows), and the seed's "usage for invoicing" query on inference_logs for the same
 *       whole month (its {@code date_trunc('month', CURRENT_DATE)} bound replaced by the month's
 *       bounds: run at month end, that is what it covers);</li>
 *   <li>the monthly report for the last whole month exactly as billing-service's ReportGenerator
 *       reads it, one UTC day at a time, through inference.request_log_v1; and the HTML report's
 *       daily latency percentiles (ReportGenerator.days) likewise.</li>
 * </ul>
 * The target is under 1 second for each. Needs the local PostgreSQL (deploy/scripts/postgres.sh);
 * the database is dropped at the end, also when interrupted, unless {@code VLA_BENCH_KEEP_DATABASE=true}
 * keeps it to look at more plans in psql.
 */
public final class LogsAtScaleBenchmark {

    /** The administrator LocalFleet and the tests use ({@code VLA_TEST_DB_ADMIN_*}): no trust needed. */
    private static final String ADMIN_URL = env("VLA_TEST_DB_ADMIN_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String ADMIN_USER = env("VLA_TEST_DB_ADMIN_USER", "postgres");
    private static final String ADMIN_PASSWORD = env("VLA_TEST_DB_ADMIN_PASSWORD", "");
    private static final String SERVER = ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1);
    private static final int CUSTOMERS = 200;
    private static final int DAYS = 92;

    /** The seed's query, verbatim (LogsAtScaleQueriesTest compares it with test-support's SeedQueries). */
    static final String SEED_LAST_30_DAYS = """
            SELECT\s
                c.company_name,
                COUNT(*) as total_requests,
                AVG(il.inference_latency_ms) as avg_latency
            FROM inference_logs il
            JOIN customers c ON il.customer_id = c.customer_id
            WHERE il.timestamp >= NOW() - INTERVAL '30 days'
            GROUP BY c.company_name
            ORDER BY total_requests DESC;""";

    /** The seed's "Query usage for invoicing", for a whole month: %s and %s are its bounds. */
    static final String SEED_INVOICING_WHOLE_MONTH = """
            -- Query usage for invoicing
            SELECT company_name, COUNT(*) as requests
            FROM inference_logs il
            JOIN customers c ON il.customer_id = c.customer_id
            WHERE il.timestamp >= '%s' AND il.timestamp < '%s'
            GROUP BY company_name;""";

    /** billing-service's UsageCounts.perCustomer: what a month's invoices bill. */
    static final String BILLING_USAGE_COUNTS = """
            SELECT customer_id, count(*) FROM billing.usage_events
            WHERE served_at >= ? AND served_at < ? GROUP BY customer_id""";

    /** billing-service's ReportGenerator.readDay. */
    static final String REPORT_DAY = """
            SELECT customer_id, count(*), sum(inference_latency_ms), count(inference_latency_ms),
                   sum(safety_score), count(safety_score)
            FROM inference.request_log_v1
            WHERE status_code = 200 AND "timestamp" >= ? AND "timestamp" < ?
            GROUP BY customer_id""";

    /** billing-service's ReportGenerator.days (the HTML report's latency chart), one day. */
    static final String REPORT_DAY_PERCENTILES = """
            SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY total_latency_ms),
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY total_latency_ms)
            FROM inference.request_log_v1
            WHERE status_code = 200 AND "timestamp" >= ? AND "timestamp" < ?""";

    private LogsAtScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 10_000_000L;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path root = Path.of("").toAbsolutePath();
        String database = "logscale_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        System.out.printf("Request log at scale: %,d rows over %d days, %d customers, %d cores, median of %d runs%n",
                rows, DAYS, CUSTOMERS, Runtime.getRuntime().availableProcessors(), runs);
        boolean keep = Boolean.parseBoolean(System.getenv("VLA_BENCH_KEEP_DATABASE"));
        Thread dropOnExit = new Thread(() -> drop(database));
        if (!keep) {
            Runtime.getRuntime().addShutdownHook(dropOnExit);
        }
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, ADMIN_USER, ADMIN_PASSWORD);
             Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + database);
            s.execute("ALTER DATABASE " + database + " SET search_path = reporting, \"$user\", public");
        }
        try (Connection db = DriverManager.getConnection(SERVER + database, ADMIN_USER, ADMIN_PASSWORD)) {
            ScaleDatabase layout = new ScaleDatabase(db, root);
            layout.migrate();
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            Instant from = now.minus(Duration.ofDays(DAYS));
            layout.createMonthlyPartitions(YearMonth.from(from.atZone(ZoneOffset.UTC)), YearMonth.from(now.atZone(ZoneOffset.UTC)));
            layout.createCustomers(CUSTOMERS);
            layout.fill(rows, from, now, DAYS);
            YearMonth month = YearMonth.from(now.atZone(ZoneOffset.UTC)).minusMonths(1);
            layout.fillUsageEvents(month);
            layout.vacuumAnalyze();
            measure(db, month, runs);
        } finally {
            if (keep) {
                System.out.printf("%nkept database %s: psql -h 127.0.0.1 -U postgres -d %s; drop it with"
                        + " psql -h 127.0.0.1 -U postgres -c 'DROP DATABASE %s'%n", database, database, database);
            } else {
                drop(database);
                Runtime.getRuntime().removeShutdownHook(dropOnExit);
            }
        }
    }

    private static void measure(Connection db, YearMonth month, int runs) throws SQLException {
        System.out.printf("%nload average before the queries: %s (the machine is shared)%n", loadAverage());
        measureQueries(db, month, runs);
        System.out.printf("%nload average after the queries: %s%n", loadAverage());
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static void measureQueries(Connection db, YearMonth month, int runs) throws SQLException {
        OffsetDateTime start = timestamp(month.atDay(1));
        OffsetDateTime end = timestamp(month.plusMonths(1).atDay(1));
        System.out.printf("%n== seed: last 30 days per customer (as the operators' role, through reporting views)%n");
        QueryTimer operators = new QueryTimer(db, "reporting_reader", "reporting, public");
        operators.report(SEED_LAST_30_DAYS, runs);

        System.out.printf("%n== month-end billing for %s: billing-service's usage count per customer (billing.usage_events)%n",
                month);
        QueryTimer billing = new QueryTimer(db, "billing_service", "billing");
        billing.report(BILLING_USAGE_COUNTS, runs, start, end);

        System.out.printf("%n== month-end billing for %s: the seed's usage-for-invoicing query over the whole month%n", month);
        operators.report(SEED_INVOICING_WHOLE_MONTH.formatted(start.toInstant(), end.toInstant()), runs);

        List<LocalDate> days = new ArrayList<>();
        for (LocalDate day = month.atDay(1); day.isBefore(month.plusMonths(1).atDay(1)); day = day.plusDays(1)) {
            days.add(day);
        }
        System.out.printf("%n== monthly report for %s: ReportGenerator's query, one UTC day at a time (%d queries)%n",
                month, days.size());
        billing.reportDayByDay(REPORT_DAY, days, runs);
        System.out.printf("%n== monthly report for %s, HTML chart: daily latency percentiles, one UTC day at a time%n", month);
        billing.reportDayByDay(REPORT_DAY_PERCENTILES, days, runs);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    static OffsetDateTime timestamp(LocalDate day) {
        return day.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    private static void drop(String database) {
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, ADMIN_USER, ADMIN_PASSWORD);
             Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("could not drop database " + database + ": " + e.getMessage()
                    + " (drop it with: psql -h 127.0.0.1 -U postgres -c 'DROP DATABASE " + database + "')");
        }
    }

    /** Runs queries as one role and reports medians and plans. */
    private record QueryTimer(Connection db, String role, String searchPath) {

        void report(String sql, int runs, OffsetDateTime... parameters) throws SQLException {
            double[] millis = new double[runs];
            for (int i = 0; i < runs; i++) {
                millis[i] = time(sql, parameters);
            }
            System.out.printf("first run %.1f ms, median of %d: %.1f ms (max %.1f ms)%n", millis[0], runs,
                    Stats.of(millis).p50(), Stats.of(millis).p99());
            printPlan(sql, parameters);
        }

        void reportDayByDay(String sql, List<LocalDate> days, int runs) throws SQLException {
            double[] totals = new double[runs];
            double[] perDay = new double[runs * days.size()];
            for (int run = 0; run < runs; run++) {
                for (int d = 0; d < days.size(); d++) {
                    double ms = time(sql, timestamp(days.get(d)), timestamp(days.get(d).plusDays(1)));
                    perDay[run * days.size() + d] = ms;
                    totals[run] += ms;
                }
            }
            Stats total = Stats.of(totals);
            Stats day = Stats.of(perDay);
            System.out.printf("whole month: first run %.1f ms, median of %d: %.1f ms; one day: median %.1f ms, p99 %.1f ms%n",
                    totals[0], runs, total.p50(), day.p50(), day.p99());
            LocalDate middle = days.get(days.size() / 2);
            printPlan(sql, timestamp(middle), timestamp(middle.plusDays(1)));
        }

        private double time(String sql, OffsetDateTime... parameters) throws SQLException {
            try (Statement s = db.createStatement()) {
                s.execute("SET ROLE " + role);
                s.execute("SET search_path = " + searchPath);
            }
            long started = System.nanoTime();
            try (PreparedStatement ps = db.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    ps.setObject(i + 1, parameters[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rs.getObject(1);
                    }
                }
            } finally {
                try (Statement s = db.createStatement()) {
                    s.execute("RESET ROLE");
                    s.execute("RESET search_path");
                }
            }
            return (System.nanoTime() - started) / 1e6;
        }

        /** The plan's scans, joins, pruning, buffers and times: what says whether partitions and indexes served it. */
        private void printPlan(String sql, OffsetDateTime... parameters) throws SQLException {
            try (Statement s = db.createStatement()) {
                s.execute("SET ROLE " + role);
                s.execute("SET search_path = " + searchPath);
            }
            try (PreparedStatement ps = db.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    ps.setObject(i + 1, parameters[i]);
                }
                boolean firstBuffers = true;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String line = rs.getString(1);
                        boolean buffers = line.strip().startsWith("Buffers:");
                        if (line.matches(".*(Scan|Append|Removed|Join|Aggregate|Gather|Sort |Execution Time|Planning Time|JIT).*")
                                || buffers && firstBuffers) {
                            System.out.println("  " + line);
                        }
                        firstBuffers &= !buffers;
                    }
                }
            } finally {
                try (Statement s = db.createStatement()) {
                    s.execute("RESET ROLE");
                    s.execute("RESET search_path");
                }
            }
        }
    }
}
