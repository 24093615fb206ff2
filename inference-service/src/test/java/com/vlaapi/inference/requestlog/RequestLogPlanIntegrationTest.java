package com.vlaapi.inference.requestlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.vlaapi.inference.support.StandaloneApplication;
import com.vlaapi.testsupport.database.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A batch of the request log must cost the same whether the log holds a hundred rows or millions.
 * A batch that repeats an already-logged request is stored with INSERTs whose usage-outbox part
 * looks its rows up in {@code inference_logs}; PostgreSQL used to keep the plan it chose while
 * the table was tiny (a sequential scan) until the table was next analyzed, which with autovacuum
 * off is never, and then read the whole log for every such batch.
 */
class RequestLogPlanIntegrationTest {

    private static final int BATCH = 20;
    private static final int EARLY_BATCHES = 12;
    private static final int ROWS_ADDED_LATER = 100_000;
    private static final int LATE_BATCHES = 5;
    private static final Instant SERVED_AT = Instant.parse("2026-06-15T12:00:00Z");

    private TestDatabase database;
    private ConfigurableApplicationContext application;
    private InferenceLogEntry last;

    @BeforeEach
    void startApplication() {
        database = TestDatabase.create("inference").withMigrationsOf("customer-service", "customer");
        application = StandaloneApplication.start(database, "--vla.inference.usage-relay.enabled=false");
    }

    @AfterEach
    void dropDatabase() {
        application.close();
        database.drop();
    }

    @Test
    void batchesDoNotScanTheWholeLogAfterItGrew() {
        RequestLogStore store = application.getBean(RequestLogStore.class);
        UUID customer = UUID.randomUUID();
        for (int i = 0; i < EARLY_BATCHES; i++) {
            store.insert(batchRepeatingTheLast(customer));
        }
        database.jdbc().update("""
                INSERT INTO inference.inference_logs (request_id, customer_id, "timestamp", status_code)
                SELECT gen_random_uuid(), ?, ?, 200 FROM generate_series(1, ?)""", customer,
                OffsetDateTime.ofInstant(SERVED_AT, ZoneOffset.UTC), ROWS_ADDED_LATER);
        long before = logRowsReadSequentially(BATCH * EARLY_BATCHES);

        for (int i = 0; i < LATE_BATCHES; i++) {
            store.insert(batchRepeatingTheLast(customer));
        }

        long rowsScanned = logRowsReadSequentially(BATCH * (EARLY_BATCHES + LATE_BATCHES)) - before;
        assertThat(rowsScanned).as("log rows read sequentially by %d batches of %d", LATE_BATCHES, BATCH)
                .isLessThan(ROWS_ADDED_LATER);
        assertThat(database.jdbc().queryForObject("SELECT count(*) FROM inference.usage_outbox", Long.class))
                .isEqualTo((long) BATCH * (EARLY_BATCHES + LATE_BATCHES));
    }

    /**
     * How many log rows sequential scans have read, once every backend has reported its counts (a
     * backend reports when idle, up to 10 s later): known when the outbox shows the given number
     * of inserted rows and the log at least the rows the test added itself. The log's own insert
     * count cannot tell, because it also counts the rows of each batch's failed first attempt.
     */
    private long logRowsReadSequentially(long outboxRows) {
        // The log is partitioned by month: its counts are its partitions' together.
        String query = """
                SELECT CASE WHEN relid = 'inference.usage_outbox'::regclass THEN 'usage_outbox' ELSE 'inference_logs' END
                       AS relname, sum(n_tup_ins) AS n_tup_ins FROM pg_stat_user_tables
                WHERE relid = 'inference.usage_outbox'::regclass
                   OR relid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'inference.inference_logs'::regclass)
                GROUP BY 1""";
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            Map<String, Long> inserted = new HashMap<>();
            database.jdbc().queryForList(query).forEach(t -> inserted.put((String) t.get("relname"),
                    ((Number) t.get("n_tup_ins")).longValue()));
            return inserted.get("usage_outbox") == outboxRows && inserted.get("inference_logs") >= ROWS_ADDED_LATER;
        });
        return database.jdbc().queryForObject("""
                SELECT coalesce(sum(seq_tup_read), 0) FROM pg_stat_user_tables
                WHERE relid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'inference.inference_logs'::regclass)""",
                Long.class);
    }

    /** New billable rows, after the last batch's first row again: the batch then takes the INSERT path. */
    private List<InferenceLogEntry> batchRepeatingTheLast(UUID customer) {
        List<InferenceLogEntry> batch = new ArrayList<>();
        if (last != null) {
            batch.add(last);
        }
        IntStream.range(0, BATCH).forEach(i -> batch.add(new InferenceLogEntry(UUID.randomUUID(), customer, null,
                SERVED_AT, "tabletop-v1", "1.0.0", null, "pick up the red cube", new double[7], 2.0, 3.0, 200,
                null, 1000, 64, 64, 1, null, 0.9, null, null, null)));
        last = batch.get(batch.size() - 1);
        return batch;
    }
}
