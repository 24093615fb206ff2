package com.vlaapi.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The benchmark's database for {@link LogsAtScaleBenchmark}: laid out by the services' own Flyway
 * migrations (run as Flyway would, each as its service's role, in version order then the
 * repeatable ones), then filled with synthetic traffic straight in SQL, which on two cores is
 * several times faster than any client could send it.
 */
final class ScaleDatabase {

    private static final Pattern VERSIONED = Pattern.compile("V(\\d+(?:_\\d+)*)__.*\\.sql");
    /** Service, its role, Flyway's default schema; in the order their read models depend on each other. */
    private static final List<String[]> SERVICES = List.of(
            new String[] {"customer-service", "customer_service", "customer"},
            new String[] {"inference-service", "inference_service", "inference"},
            new String[] {"billing-service", "billing_service", "billing"});

    private final Connection db;
    private final Path root;
    private int customers;

    ScaleDatabase(Connection db, Path root) {
        this.db = db;
        this.root = root;
    }

    void migrate() throws SQLException, IOException {
        execute("CREATE EXTENSION IF NOT EXISTS vector");
        execute(Files.readString(root.resolve("deploy/postgres/roles.sql")));
        for (String[] service : SERVICES) {
            for (Path migration : migrations(root.resolve(service[0]).resolve("src/main/resources/db/migration"))) {
                db.setAutoCommit(false);
                try (Statement s = db.createStatement()) {
                    s.execute("SET LOCAL ROLE " + service[1]);
                    s.execute("SET LOCAL search_path = " + service[2]);
                    s.execute(Files.readString(migration));
                }
                db.commit();
                db.setAutoCommit(true);
            }
        }
        System.out.println("migrated with the services' own migrations");
    }

    /**
     * What inference-service's partition maintenance would have created as the months came: one
     * partition per month of the period (the migration made the current and the next).
     */
    void createMonthlyPartitions(YearMonth first, YearMonth last) throws SQLException {
        for (YearMonth month = first; !month.isAfter(last); month = month.plusMonths(1)) {
            execute(String.format("CREATE TABLE IF NOT EXISTS inference.inference_logs_%d_%02d PARTITION OF"
                    + " inference.inference_logs FOR VALUES FROM ('%s') TO ('%s')", month.getYear(), month.getMonthValue(),
                    month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                    month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
        }
    }

    /** {@code count} customers, mostly free, some pro, a few enterprise; numbered for the fill's skew. */
    void createCustomers(int count) throws SQLException {
        customers = count;
        execute("""
                CREATE TEMPORARY TABLE bench_customers AS
                SELECT n AS idx, gen_random_uuid() AS customer_id,
                       CASE WHEN n %% 10 = 0 THEN 'enterprise' WHEN n %% 3 = 0 THEN 'pro' ELSE 'free' END AS tier
                FROM generate_series(0, %d) n""".formatted(count - 1));
        execute("""
                INSERT INTO customer.customers (customer_id, company_name, email, tier, monthly_quota, rate_limit_per_minute,
                                                created_at)
                SELECT customer_id, 'Robotics Customer ' || idx, 'ops' || idx || '@customer.example', tier,
                       CASE tier WHEN 'free' THEN 10000 WHEN 'pro' THEN 100000 ELSE 1000000 END, 600,
                       now() - interval '1 year'
                FROM bench_customers""");
    }

    /**
     * {@code rows} requests spread evenly over [from, to), a day per statement. Customer number
     * {@code floor(customers * u^3)} for uniform u: of 200, the busiest sends about 17% of requests,
     * the ten busiest 37%, as a few large fleets and many small ones would. 3% are errors. Rows
     * are written in time order, as requests arrive; a success carries a 64-d embedding like the
     * service's (one constant vector: the queries never read it, but it makes rows as wide).
     */
    void fill(long rows, Instant from, Instant to, int days) throws SQLException {
        execute("SET synchronous_commit = off");  // a throw-away database; the commit's flush is not measured
        long started = System.nanoTime();
        long done = 0;
        String insert = """
                INSERT INTO inference.inference_logs (request_id, customer_id, api_key_id, "timestamp", model,
                    model_version, unnorm_key, instruction, action, inference_latency_ms, total_latency_ms, status_code,
                    error_code, image_bytes, image_width, image_height, batch_size, embedding, safety_score)
                SELECT gen_random_uuid(), c.customer_id, NULL, g.at, 'tabletop-v1', '1.0.0', 'tabletop_sim',
                       'pick up the red cube', CASE WHEN g.ok THEN ARRAY[0.0375, -0.0124, 0, 0, 0, 0, 1]::float8[] END,
                       CASE WHEN g.ok THEN g.latency END, g.latency + 2.5, CASE WHEN g.ok THEN 200 ELSE 500 END,
                       CASE WHEN g.ok THEN NULL ELSE 'model_error' END, 48000, 96, 96, 1 + (g.n %% 8),
                       CASE WHEN g.ok THEN %s::public.vector END, CASE WHEN g.ok THEN random() END
                FROM (SELECT n, ?::timestamptz + random() * (?::timestamptz - ?::timestamptz) AS at,
                             floor(%d * power(random(), 3))::int AS idx, random() >= 0.03 AS ok,
                             4 + 20 * random() * random() AS latency
                      FROM generate_series(1, ?) n) g
                JOIN bench_customers c ON c.idx = g.idx
                ORDER BY g.at""".formatted(embedding(), customers);
        Duration step = Duration.between(from, to).dividedBy(days);
        try (PreparedStatement ps = db.prepareStatement(insert)) {
            for (int day = 0; day < days; day++) {
                OffsetDateTime start = from.plus(step.multipliedBy(day)).atOffset(ZoneOffset.UTC);
                OffsetDateTime end = day == days - 1 ? to.atOffset(ZoneOffset.UTC) : start.plus(step);
                long batch = rows * (day + 1) / days - done;
                ps.setObject(1, start);
                ps.setObject(2, end);
                ps.setObject(3, start);
                ps.setLong(4, batch);
                ps.executeUpdate();
                done += batch;
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf("\rfilling inference_logs: %,d of %,d rows (%d%%), %.0f s, about %.0f s left   ",
                        done, rows, done * 100 / rows, seconds, seconds / done * (rows - done));
            }
        }
        System.out.printf("%nfilled %,d rows in %.1f s (%,.0f rows/s)%n", done, (System.nanoTime() - started) / 1e9,
                done / ((System.nanoTime() - started) / 1e9));
    }

    /** What billing-service holds for the invoiced month: one usage event per billable request of it. */
    void fillUsageEvents(YearMonth month) throws SQLException {
        long started = System.nanoTime();
        try (PreparedStatement ps = db.prepareStatement("""
                INSERT INTO billing.usage_events (request_id, customer_id, api_key_id, served_at, model)
                SELECT request_id, customer_id, api_key_id, "timestamp", model FROM inference.inference_logs
                WHERE status_code = 200 AND "timestamp" >= ? AND "timestamp" < ?""")) {
            ps.setObject(1, month.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC));
            ps.setObject(2, month.plusMonths(1).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC));
            int events = ps.executeUpdate();
            System.out.printf("billing.usage_events: %,d events of %s in %.1f s%n", events, month,
                    (System.nanoTime() - started) / 1e9);
        }
    }

    /** As autovacuum would after the inserts: statistics, and the visibility map index-only scans need. */
    void vacuumAnalyze() throws SQLException {
        long started = System.nanoTime();
        System.out.println("VACUUM ANALYZE...");
        execute("VACUUM (ANALYZE) inference.inference_logs");
        execute("VACUUM (ANALYZE) billing.usage_events");
        execute("ANALYZE customer.customers");
        System.out.printf("VACUUM ANALYZE in %.1f s; inference_logs is %s with its indexes%n",
                (System.nanoTime() - started) / 1e9, size());
    }

    /** A 64-d embedding literal like the service's (one constant vector: the benchmarks' queries never read it, but rows are as wide). */
    static String embedding() {
        StringBuilder vector = new StringBuilder("'[");
        for (int i = 0; i < 64; i++) {
            vector.append(i == 0 ? "" : ",").append(Math.sin(i) / 8);
        }
        return vector.append("]'").toString();
    }

    private String size() throws SQLException {
        try (Statement s = db.createStatement();
             var rs = s.executeQuery("""
                     SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid)))
                     FROM pg_inherits WHERE inhparent = 'inference.inference_logs'::regclass""")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static List<Path> migrations(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> all = files.filter(f -> f.getFileName().toString().endsWith(".sql")).toList();
            Stream<Path> versioned = all.stream().filter(f -> VERSIONED.matcher(f.getFileName().toString()).matches())
                    .sorted(Comparator.comparing(ScaleDatabase::version));
            Stream<Path> repeatable = all.stream().filter(f -> f.getFileName().toString().startsWith("R__")).sorted();
            return Stream.concat(versioned, repeatable).toList();
        }
    }

    /** V12_3__x.sql as a comparable number: major, then minor, each zero-padded. */
    private static String version(Path migration) {
        Matcher m = VERSIONED.matcher(migration.getFileName().toString());
        m.matches();
        StringBuilder key = new StringBuilder();
        for (String part : m.group(1).split("_")) {
            key.append(String.format("%010d", Long.parseLong(part)));
        }
        return key.toString();
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(sql);
        }
    }
}
