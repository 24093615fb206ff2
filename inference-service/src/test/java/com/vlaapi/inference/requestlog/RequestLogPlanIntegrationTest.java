package com.vlaapi.inference.requestlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.vlaapi.inference.support.StandaloneApplication;
import com.vlaapi.inference.support.TestDatabase;
import java.time.Duration;
import java.time.Instant;
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
 * The batch's usage-outbox insert looks its rows up in {@code inference_logs}; PostgreSQL used to
 * keep the plan it chose while the table was tiny (a sequential scan) until the table was next
 * analyzed, which with autovacuum off is never, and then read the whole log for every batch.
 */
class RequestLogPlanIntegrationTest {

    private static final int BATCH = 20;
    private static final int EARLY_BATCHES = 12;
    private static final int ROWS_ADDED_LATER = 100_000;
    private static final int LATE_BATCHES = 5;

    private TestDatabase database;
    private ConfigurableApplicationContext application;

    @BeforeEach
    void startApplication() {
        database = TestDatabase.create();
        application = StandaloneApplication.start(database, "--vla.usage-relay.enabled=false");
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
            store.insert(batch(customer));
        }
        database.jdbc().update("""
                INSERT INTO inference.inference_logs (request_id, customer_id, "timestamp", status_code)
                SELECT gen_random_uuid(), ?, now(), 200 FROM generate_series(1, ?)""", customer, ROWS_ADDED_LATER);
        Map<String, Object> before = flushedStatistics(BATCH * EARLY_BATCHES + ROWS_ADDED_LATER);

        for (int i = 0; i < LATE_BATCHES; i++) {
            store.insert(batch(customer));
        }

        Map<String, Object> after = flushedStatistics(BATCH * (EARLY_BATCHES + LATE_BATCHES) + ROWS_ADDED_LATER);
        long rowsScanned = ((Number) after.get("seq_tup_read")).longValue() - ((Number) before.get("seq_tup_read")).longValue();
        assertThat(rowsScanned).as("log rows read sequentially by %d batches of %d", LATE_BATCHES, BATCH)
                .isLessThan(ROWS_ADDED_LATER);
        assertThat(database.jdbc().queryForObject("SELECT count(*) FROM inference.usage_outbox", Long.class))
                .isEqualTo((long) BATCH * (EARLY_BATCHES + LATE_BATCHES));
    }

    /**
     * The table's counters once every backend has reported the given number of inserted rows
     * (a backend reports its counts when idle, up to 10 s later).
     */
    private Map<String, Object> flushedStatistics(long inserted) {
        String query = """
                SELECT n_tup_ins, coalesce(seq_tup_read, 0) AS seq_tup_read FROM pg_stat_user_tables
                WHERE relid = 'inference.inference_logs'::regclass""";
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                ((Number) database.jdbc().queryForMap(query).get("n_tup_ins")).longValue() == inserted);
        return database.jdbc().queryForMap(query);
    }

    private static List<InferenceLogEntry> batch(UUID customer) {
        return IntStream.range(0, BATCH).mapToObj(i -> new InferenceLogEntry(UUID.randomUUID(), customer, null,
                Instant.now(), "tabletop-v1", "1.0.0", null, "pick up the red cube", new double[7], 2.0, 3.0, 200,
                null, 1000, 64, 64, 1, null, 0.9)).toList();
    }
}
