package com.vlaapi.inference.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.inference.safety.SafetyFlag;
import com.vlaapi.testsupport.database.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Opt-in measurement, not a test of the regular suite: the portal's queries against a request log
 * holding a million rows of one customer, spread over 60 days (three monthly partitions), next to a
 * million rows of 99 other customers interleaved in time, as the log stores them; the customer
 * consented to training images, so every successful request of it has a link. Prints each query's
 * EXPLAIN (ANALYZE, BUFFERS) summary and its time through JDBC over repeated runs, then what V13's
 * partial index saves and costs the log's inserts. Loading takes a minute or two. Run alone:
 *
 * <pre>
 * mvn -o -q -pl service-contract,test-support,model-runner,inference-service test -Dvla.portal.at-scale=true \
 *     -Dtest=PortalQueriesAtScaleTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * The report and the full plans are also written to {@code target/portal-at-scale/}. Sizes:
 * {@code -Dvla.portal.at-scale.rows} (the customer's rows), {@code -Dvla.portal.at-scale.others}.
 */
@EnabledIfSystemProperty(named = "vla.portal.at-scale", matches = "true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortalQueriesAtScaleTest {

    private static final int CUSTOMER_ROWS = Integer.getInteger("vla.portal.at-scale.rows", 1_000_000);
    private static final int OTHER_ROWS = Integer.getInteger("vla.portal.at-scale.others", 1_000_000);
    private static final Duration SPREAD = Duration.ofDays(60);
    private static final int RUNS = 50;
    private static final int INSERTED_ROWS = 200_000;
    private static final int INSERT_RUNS = 5;
    private static final int WINDOW = 10_000;

    private static final UUID CUSTOMER = UUID.fromString("11111111-1111-4111-8111-111111111111");
    /** A tenth of the other rows: a customer that never had an error. */
    private static final UUID FLAWLESS = UUID.fromString("33333333-3333-4333-8333-333333333333");
    private static final Pattern TIME = Pattern.compile("(Planning|Execution) Time: ([0-9.]+) ms");

    /**
     * Rows as the log holds them: 2% errors (400 or 503, no action), the rest reviewed with 5% of
     * actions clipped and 1% out of distribution, a 64-dimension embedding. Parameters: customer,
     * its rows, the flawless customer, other rows, the newest row's time, the spread in seconds.
     */
    private static final String LOAD = """
            WITH vectors AS MATERIALIZED (
                SELECT v, array_agg(random()::real)::public.vector(64) AS e
                FROM generate_series(0, 99) v, generate_series(1, 64) d GROUP BY v),
            params AS (SELECT ?::uuid AS customer, ?::int AS customer_rows, ?::uuid AS flawless, ?::int AS other_rows,
                              ?::timestamptz AS newest, ?::float8 AS spread),
            generated AS MATERIALIZED (
                SELECT i, p.customer AS customer_id,
                       p.newest - p.spread * (1 - i::float8 / p.customer_rows) * interval '1 second' AS ts,
                       random() < 0.02 AS error
                FROM params p, generate_series(1, (SELECT customer_rows FROM params)) i
                UNION ALL
                SELECT i, CASE WHEN i % 10 = 0 THEN p.flawless
                               ELSE ('22222222-2222-4222-8222-' || lpad((i % 98)::text, 12, '0'))::uuid END,
                       p.newest - p.spread * (1 - (i::float8 + 0.5) / p.other_rows) * interval '1 second',
                       i % 10 <> 0 AND random() < 0.02
                FROM params p, generate_series(1, (SELECT other_rows FROM params)) i)
            INSERT INTO inference.inference_logs (request_id, customer_id, api_key_id, "timestamp", model, model_version,
                unnorm_key, instruction, action, inference_latency_ms, total_latency_ms, status_code, error_code,
                image_bytes, image_width, image_height, batch_size, embedding, safety_score, robot, raw_action, safety_flags)
            SELECT gen_random_uuid(), customer_id, '44444444-4444-4444-8444-444444444444', ts, 'tabletop-v1', '1.0.0',
                   'tabletop_sim',
                   (ARRAY['pick up the red cube', 'go to the purple tube', 'open the drawer', 'wipe the table'])[1 + i % 4],
                   CASE WHEN NOT error THEN ARRAY[0.01, -0.02, 0.0, 0.0, 0.0, 0.0, 1.0] END,
                   CASE WHEN NOT error THEN 2.5 END, 20 + (i % 97) / 10.0,
                   CASE WHEN NOT error THEN 200 WHEN i % 2 = 0 THEN 400 ELSE 503 END,
                   CASE WHEN NOT error THEN NULL WHEN i % 2 = 0 THEN 'not_an_image' ELSE 'overloaded' END,
                   48213, 224, 224, 1,
                   CASE WHEN NOT error THEN (SELECT e FROM vectors WHERE v = i % 100) END,
                   CASE WHEN NOT error THEN 0.5 + (i % 50) / 100.0 END,
                   CASE WHEN NOT error THEN 'ur5' END,
                   CASE WHEN NOT error AND i % 20 = 0 THEN ARRAY[0.05, -0.02, 0.0, 0.0, 0.0, 0.0, 1.0] END,
                   CASE WHEN error THEN NULL
                        WHEN i % 20 = 0 THEN ARRAY['clipped']
                        WHEN i % 100 = 1 THEN ARRAY['out_of_distribution']
                        ELSE ARRAY[]::text[] END
            FROM generated ORDER BY ts""";

    private static final String LINKS = """
            INSERT INTO inference.training_images (request_id, customer_id, object_key, stored_at)
            SELECT request_id, customer_id,
                   customer_id || '/' || to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD') || '/' || request_id || '.png',
                   "timestamp"
            FROM inference.inference_logs WHERE customer_id = ? AND status_code = 200""";

    /** New rows, 100 customers, 2% errors, like the load. Parameters: the time of the first, how many. */
    private static final String INSERT = """
            INSERT INTO inference.inference_logs (request_id, customer_id, api_key_id, "timestamp", model, model_version,
                unnorm_key, instruction, action, inference_latency_ms, total_latency_ms, status_code, error_code,
                image_bytes, image_width, image_height, batch_size, safety_score, robot, safety_flags)
            SELECT gen_random_uuid(), ('55555555-5555-4555-8555-' || lpad((i % 100)::text, 12, '0'))::uuid,
                   '44444444-4444-4444-8444-444444444444', ?::timestamptz + i * interval '1 millisecond', 'tabletop-v1',
                   '1.0.0', 'tabletop_sim', 'pick up the red cube', ARRAY[0.01, -0.02, 0.0, 0.0, 0.0, 0.0, 1.0], 2.5, 20.0,
                   CASE WHEN error THEN 400 ELSE 200 END, CASE WHEN error THEN 'not_an_image' END,
                   48213, 224, 224, 1, 0.9, 'ur5', ARRAY[]::text[]
            FROM (SELECT i, random() < 0.02 AS error FROM generate_series(1, ?) i) rows""";

    private TestDatabase database;
    private SingleConnectionDataSource connection;
    private JdbcTemplate jdbc;
    private TransactionTemplate rolledBack;
    private final List<String> report = new ArrayList<>();
    private final List<String> plans = new ArrayList<>();

    @BeforeAll
    void loadTheLog() {
        database = TestDatabase.create("inference").withMigrationsOf("inference-service", "inference");
        // As the service connects: every statement planned for its parameters (application.yml).
        connection = new SingleConnectionDataSource(database.url() + "?options=-c%20plan_cache_mode%3Dforce_custom_plan",
                database.user(), database.password(), true);
        jdbc = new JdbcTemplate(connection);
        rolledBack = new TransactionTemplate(new DataSourceTransactionManager(connection));
        Instant newest = Instant.now().minusSeconds(60);
        for (YearMonth month = YearMonth.from(newest.minus(SPREAD).atZone(ZoneOffset.UTC));
             month.isBefore(YearMonth.now(ZoneOffset.UTC)); month = month.plusMonths(1)) {
            OffsetDateTime start = month.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC);
            jdbc.execute("CREATE TABLE inference.inference_logs_%d_%02d PARTITION OF inference.inference_logs FOR VALUES FROM ('%s') TO ('%s')"
                    .formatted(month.getYear(), month.getMonthValue(), start, start.plusMonths(1)));
        }
        long started = System.nanoTime();
        jdbc.update(LOAD, CUSTOMER, CUSTOMER_ROWS, FLAWLESS, OTHER_ROWS, OffsetDateTime.ofInstant(newest, ZoneOffset.UTC),
                (double) SPREAD.toSeconds());
        jdbc.update(LINKS, CUSTOMER);
        jdbc.execute("ANALYZE inference.inference_logs");
        jdbc.execute("ANALYZE inference.training_images");
        report.add("loaded %,d rows of the customer and %,d of others over %d days in %.0f s; partitions: %s".formatted(
                CUSTOMER_ROWS, OTHER_ROWS, SPREAD.toDays(), (System.nanoTime() - started) / 1e9,
                jdbc.queryForList("""
                        SELECT c.relname || ' ' || count(*) FROM inference.inference_logs l JOIN pg_class c ON c.oid = l.tableoid
                        WHERE l.customer_id = ? GROUP BY c.relname ORDER BY c.relname""", String.class, CUSTOMER)));
    }

    @AfterAll
    void writeReport() throws IOException {
        report.forEach(System.out::println);
        Path dir = Files.createDirectories(Path.of("target/portal-at-scale"));
        Files.write(dir.resolve("report.txt"), report);
        Files.write(dir.resolve("plans.txt"), plans);
        if (connection != null) {
            connection.destroy();
        }
        if (database != null) {
            database.drop();
        }
    }

    @Test
    void theQueries() {
        Instant longAgo = Instant.now().minus(Duration.ofDays(45));
        UUID old = jdbc.queryForObject("""
                SELECT request_id FROM inference.inference_logs WHERE customer_id = ? AND "timestamp" < ? LIMIT 1""",
                UUID.class, CUSTOMER, OffsetDateTime.ofInstant(longAgo, ZoneOffset.UTC));
        UUID others = jdbc.queryForObject("SELECT request_id FROM inference.inference_logs WHERE customer_id <> ? LIMIT 1",
                UUID.class, CUSTOMER);
        Object deep = OffsetDateTime.ofInstant(longAgo, ZoneOffset.UTC);

        for (StatusFilter status : StatusFilter.values()) {
            measure("list status=" + status.id(), CustomerRequests.newestQuery(status, false), CUSTOMER, 100);
            measure("list status=" + status.id() + ", a page 45 days back", CustomerRequests.newestQuery(status, true),
                    CUSTOMER, deep, 100);
        }
        measure("detail, a request of 45+ days ago", CustomerRequests.FIND, old, CUSTOMER);
        measure("detail, another customer's request", CustomerRequests.FIND, others, CUSTOMER);
        measure("image link (TrainingImageLinks.objectKey)",
                "SELECT object_key FROM inference.training_images WHERE request_id = ? AND customer_id = ?", old, CUSTOMER);
        measure("safety summary, last " + WINDOW, SafetySummaries.LAST_REQUESTS, SafetyFlag.CLIPPED.id(),
                SafetyFlag.OUT_OF_DISTRIBUTION.id(), CUSTOMER, WINDOW);
        measure("safety summary, last 1000", SafetySummaries.LAST_REQUESTS, SafetyFlag.CLIPPED.id(),
                SafetyFlag.OUT_OF_DISTRIBUTION.id(), CUSTOMER, 1000);
        measure("(the last 30 days instead, for comparison)", """
                SELECT count(*), count(*) FILTER (WHERE 'clipped' = ANY (safety_flags))
                FROM inference.inference_logs WHERE customer_id = ? AND "timestamp" >= now() - interval '30 days'""",
                CUSTOMER);
        measure("list status=error, customer without errors", CustomerRequests.newestQuery(StatusFilter.ERROR, false),
                FLAWLESS, 100);

        CustomerRequests requests = new CustomerRequests(jdbc);
        List<RequestSummary> page = requests.newest(CUSTOMER, StatusFilter.ERROR, Optional.empty(), 100);
        assertThat(page).hasSize(100).allSatisfy(row -> assertThat(row.statusCode()).isNotEqualTo(200));
        assertThat(new SafetySummaries(jdbc, new PortalProperties(WINDOW)).of(CUSTOMER).requests())
                .as("the reviewed among the last %d", WINDOW).isBetween(WINDOW * 9L / 10, (long) WINDOW);
    }

    /** The same queries as the log was before V13: its partial index dropped in a transaction rolled back. */
    @Test
    void withoutThePartialIndex() {
        withoutV13(() -> {
            measure("WITHOUT V13: list status=error", CustomerRequests.newestQuery(StatusFilter.ERROR, false), CUSTOMER, 100);
            measure("WITHOUT V13: list status=error, a page 45 days back", CustomerRequests.newestQuery(StatusFilter.ERROR, true),
                    CUSTOMER, OffsetDateTime.now(ZoneOffset.UTC).minusDays(45), 100);
            measure("WITHOUT V13: list status=error, customer without errors",
                    CustomerRequests.newestQuery(StatusFilter.ERROR, false), FLAWLESS, 100);
        });
    }

    /**
     * What the partial index costs the log's writes: {@value #INSERTED_ROWS} rows (2% errors) inserted
     * into a new month's partition of the loaded log, without V13, with it, and with a full index of
     * the same key in its place, each in a transaction rolled back (so every run starts from the same
     * empty partition), the variants taking turns {@value #INSERT_RUNS} times from a checkpoint; the
     * median time and the WAL written per row (the time is noisy on a shared machine, the WAL not).
     */
    @Test
    void whatThePartialIndexCostsInserts() {
        OffsetDateTime month = YearMonth.now(ZoneOffset.UTC).plusMonths(6).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC);
        Map<String, Runnable> variants = new LinkedHashMap<>();
        variants.put("without V13", this::dropV13);
        variants.put("with V13", () -> { });
        variants.put("a full index of the same key instead", () -> {
            dropV13();
            jdbc.execute("CREATE INDEX full_key ON inference.inference_logs (customer_id, \"timestamp\")");
        });
        Map<String, double[]> micros = new LinkedHashMap<>();
        Map<String, double[]> walBytes = new LinkedHashMap<>();
        for (int run = 0; run < INSERT_RUNS; run++) {
            int index = run;
            variants.forEach((name, setUp) -> inRolledBackTransaction(() -> {
                setUp.run();
                jdbc.execute("CREATE TABLE inference.inference_logs_measured PARTITION OF inference.inference_logs"
                        + " FOR VALUES FROM ('%s') TO ('%s')".formatted(month, month.plusMonths(1)));
                jdbc.execute("CHECKPOINT");
                String walBefore = jdbc.queryForObject("SELECT pg_current_wal_insert_lsn()::text", String.class);
                long started = System.nanoTime();
                jdbc.update(INSERT, month, INSERTED_ROWS);
                micros.computeIfAbsent(name, n -> new double[INSERT_RUNS])[index] =
                        (System.nanoTime() - started) / 1e3 / INSERTED_ROWS;
                walBytes.computeIfAbsent(name, n -> new double[INSERT_RUNS])[index] = jdbc.queryForObject(
                        "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), ?::pg_lsn)", Double.class, walBefore)
                        / INSERTED_ROWS;
            }));
        }
        variants.keySet().forEach(name -> report.add("insert %,d rows, %-37s %.2f us/row, %.1f WAL bytes/row".formatted(
                INSERTED_ROWS, name + ":", median(micros.get(name)), median(walBytes.get(name)))));
        report.add("index sizes: V13 %s, (customer_id, \"timestamp\") %s".formatted(
                indexSize("inference_logs_customer_errors_idx"), indexSize("inference_logs_customer_timestamp_idx")));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private void withoutV13(Runnable measurements) {
        inRolledBackTransaction(() -> {
            dropV13();
            jdbc.execute("ANALYZE inference.inference_logs");
            measurements.run();
        });
    }

    private void dropV13() {
        jdbc.execute("DROP INDEX inference.inference_logs_customer_errors_idx");
    }

    private void inRolledBackTransaction(Runnable work) {
        rolledBack.executeWithoutResult(status -> {
            work.run();
            status.setRollbackOnly();
        });
    }

    private String indexSize(String partitionedIndex) {
        return jdbc.queryForObject("SELECT pg_size_pretty(sum(pg_relation_size(relid))) FROM pg_partition_tree(?::regclass)",
                String.class, "inference." + partitionedIndex);
    }

    /** EXPLAIN ANALYZE once (after a warm-up run), then the query's time through JDBC over {@value #RUNS} runs. */
    private void measure(String name, String sql, Object... arguments) {
        jdbc.queryForList(sql, arguments);
        List<String> plan = jdbc.queryForList("EXPLAIN (ANALYZE, BUFFERS) " + sql, String.class, arguments);
        plans.add("== " + name);
        plans.addAll(plan);
        double[] millis = new double[RUNS];
        for (int run = 0; run < RUNS; run++) {
            long started = System.nanoTime();
            jdbc.queryForList(sql, arguments);
            millis[run] = (System.nanoTime() - started) / 1e6;
        }
        Arrays.sort(millis);
        StringBuilder times = new StringBuilder();
        plan.forEach(line -> {
            Matcher time = TIME.matcher(line);
            if (time.find()) {
                times.append(time.group(1).toLowerCase()).append(' ').append(time.group(2)).append(" ms, ");
            }
        });
        String buffers = plan.stream().filter(line -> line.strip().startsWith("Buffers:")).findFirst()
                .map(String::strip).orElse("Buffers: none");
        report.add("%-55s EXPLAIN ANALYZE: %s%s | through JDBC: p50 %.2f ms, p95 %.2f ms, max %.2f ms".formatted(
                name, times, buffers, millis[RUNS / 2], millis[(int) (RUNS * 0.95)], millis[RUNS - 1]));
    }
}
