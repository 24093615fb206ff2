package com.vlaapi.inference.requestlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.inference.support.StandaloneApplication;
import com.vlaapi.testsupport.database.TestDatabase;
import java.sql.Array;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What {@link JdbcRequestLogStore} puts in the database, read back with SQL. A batch takes one of
 * two paths: binary COPY, or (when it holds an already-logged request id) INSERTs that skip the
 * logged rows; both must store exactly the same values.
 */
class RequestLogStoreIntegrationTest {

    private static final Instant SENT_AT = Instant.parse("2026-11-28T10:15:30.123456789Z");

    private static TestDatabase database;
    private static ConfigurableApplicationContext application;
    private static RequestLogStore store;

    @BeforeAll
    static void startApplication() {
        database = TestDatabase.create("inference").withMigrationsOf("customer-service", "customer");
        application = StandaloneApplication.start(database, "--vla.inference.usage-relay.enabled=false");
        store = application.getBean(RequestLogStore.class);
    }

    @AfterAll
    static void dropDatabase() {
        application.close();
        database.drop();
    }

    /** Reports may arrive out of order (a retry); how far a journal is stored never goes back. */
    @Test
    void aJournalsReportsNeverMoveItsStoredThroughBack() {
        UUID journal = UUID.randomUUID();
        Instant later = Instant.parse("2026-12-01T00:10:00Z");

        store.reportJournal(journal, later, false, later);
        store.reportJournal(journal, Instant.EPOCH, true, later.plusSeconds(5));

        assertThat(database.jdbc().queryForObject("SELECT stored_through FROM inference.request_journals_v1"
                + " WHERE journal_id = ?", OffsetDateTime.class, journal).toInstant()).isEqualTo(later);
        assertThat(database.jdbc().queryForObject("SELECT closed FROM inference.request_journals_v1 WHERE journal_id = ?",
                Boolean.class, journal)).isTrue();
    }

    @ParameterizedTest(name = "alongside an already-logged request: {0}")
    @ValueSource(booleans = {false, true})
    void everyColumnIsStoredAsSent(boolean alongsideALoggedRequest) throws Exception {
        float[] embedding = new float[StorableValues.EMBEDDING_DIMENSIONS];
        for (int i = 0; i < embedding.length; i++) {
            embedding[i] = i * 0.37f - 11.5f;
        }
        double[] action = {0.012, -0.034, 0.5, -1e-9, 3.25, -0.75, 1.0};
        InferenceLogEntry success = new InferenceLogEntry(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                SENT_AT, "tabletop-v1", "1.2.0", "bridge_orig", "pick up the rouge cube \u00fc \uD83E\uDD16", action,
                2.5, 3.75, 200, null, 123_456, 256, 192, 4, embedding, 0.625, "arm-3",
                new double[] {0.05, -0.034, 0.5, -1e-9, 3.25, -0.75, 1.0}, List.of("clipped", "low_gripper_confidence"));
        InferenceLogEntry rejected = new InferenceLogEntry(UUID.randomUUID(), UUID.randomUUID(), null, SENT_AT,
                null, null, null, null, null, null, 0.5, 400, "invalid_image", null, null, null, null, null, null, null, null, null);

        store(alongsideALoggedRequest, success, rejected);

        Map<String, Object> row = logRow(success.requestId());
        assertThat(row.get("customer_id")).isEqualTo(success.customerId());
        assertThat(row.get("api_key_id")).isEqualTo(success.apiKeyId());
        assertThat(database.jdbc().queryForObject("SELECT \"timestamp\" FROM inference.inference_logs WHERE request_id = ?",
                OffsetDateTime.class, success.requestId()).toInstant())
                .as("PostgreSQL keeps microseconds").isEqualTo(Instant.parse("2026-11-28T10:15:30.123456Z"));
        assertThat(row.get("model")).isEqualTo("tabletop-v1");
        assertThat(row.get("model_version")).isEqualTo("1.2.0");
        assertThat(row.get("unnorm_key")).isEqualTo("bridge_orig");
        assertThat(row.get("instruction")).isEqualTo(success.instruction());
        assertThat((Double[]) ((Array) row.get("action")).getArray()).containsExactly(0.012, -0.034, 0.5, -1e-9, 3.25, -0.75, 1.0);
        assertThat(row.get("inference_latency_ms")).isEqualTo(2.5);
        assertThat(row.get("total_latency_ms")).isEqualTo(3.75);
        assertThat(row.get("status_code")).isEqualTo(200);
        assertThat(row.get("error_code")).isNull();
        assertThat(row.get("image_bytes")).isEqualTo(123_456);
        assertThat(row.get("image_width")).isEqualTo(256);
        assertThat(row.get("image_height")).isEqualTo(192);
        assertThat(row.get("batch_size")).isEqualTo(4);
        assertThat(storedEmbedding(success.requestId())).containsExactly(embedding);
        assertThat(row.get("safety_score")).isEqualTo(0.625);
        assertThat(row.get("robot")).isEqualTo("arm-3");
        assertThat((Double[]) ((Array) row.get("raw_action")).getArray()).containsExactly(0.05, -0.034, 0.5, -1e-9, 3.25, -0.75, 1.0);
        assertThat((String[]) ((Array) row.get("safety_flags")).getArray()).containsExactly("clipped", "low_gripper_confidence");

        Map<String, Object> error = logRow(rejected.requestId());
        assertThat(error.get("status_code")).isEqualTo(400);
        assertThat(error.get("error_code")).isEqualTo("invalid_image");
        assertThat(error.get("total_latency_ms")).isEqualTo(0.5);
        for (String column : List.of("api_key_id", "model", "model_version", "unnorm_key", "instruction", "action",
                "inference_latency_ms", "image_bytes", "image_width", "image_height", "batch_size", "embedding",
                "safety_score", "robot", "raw_action", "safety_flags")) {
            assertThat(error.get(column)).as(column).isNull();
        }

        assertThat(database.jdbc().queryForList("""
                SELECT o.request_id FROM inference.usage_outbox o JOIN inference.inference_logs l USING (request_id)
                WHERE o.request_id IN (?, ?) AND o.customer_id = l.customer_id AND o.api_key_id = l.api_key_id
                  AND o.served_at = l."timestamp" AND o.model = l.model""", UUID.class,
                success.requestId(), rejected.requestId()))
                .as("only the successful request is queued for billing, as logged").containsExactly(success.requestId());
    }

    @ParameterizedTest(name = "alongside an already-logged request: {0}")
    @ValueSource(booleans = {false, true})
    void valuesTheTableCannotHoldAreCleaned(boolean alongsideALoggedRequest) {
        float[] notFinite = new float[StorableValues.EMBEDDING_DIMENSIONS];
        notFinite[3] = Float.NaN;
        InferenceLogEntry withNul = entry(UUID.randomUUID(), "pick up\0 the cube" + "x".repeat(3000), notFinite, 1.5);
        InferenceLogEntry tooNarrow = entry(UUID.randomUUID(), "pick", new float[3], -0.1);

        store(alongsideALoggedRequest, withNul, tooNarrow);

        Map<String, Object> cleaned = logRow(withNul.requestId());
        assertThat((String) cleaned.get("instruction")).startsWith("pick up the cubexxx")
                .hasSize(StorableValues.MAX_TEXT_CHARS);
        assertThat(cleaned.get("embedding")).as("an embedding pgvector rejects").isNull();
        assertThat(cleaned.get("safety_score")).as("a score out of [0, 1]").isNull();
        assertThat(logRow(tooNarrow.requestId()).get("embedding")).as("an embedding of the wrong width").isNull();
    }

    @Test
    void aBatchRepeatingLoggedRequestsStoresEveryRequestOnceAsFirstLogged() {
        UUID customer = UUID.randomUUID();
        InferenceLogEntry first = entry(customer, "first");
        InferenceLogEntry second = entry(customer, "second");
        store.insert(List.of(first, second));
        InferenceLogEntry secondAgain = new InferenceLogEntry(second.requestId(), customer, null, SENT_AT.plusSeconds(60),
                "tabletop-v1", "1.0.0", null, "second, sent again", new double[7], 1.0, 1.0, 200, null, 10, 8, 8, 1,
                null, null, null, null, null);
        InferenceLogEntry third = entry(customer, "third");

        store.insert(List.of(secondAgain, third));
        store.insert(List.of(first, secondAgain, third));

        assertThat(database.jdbc().queryForList(
                "SELECT instruction FROM inference.inference_logs WHERE customer_id = ? ORDER BY instruction",
                String.class, customer)).containsExactly("first", "second", "third");
        assertThat(database.jdbc().queryForObject("""
                SELECT count(*) FROM inference.usage_outbox o JOIN inference.inference_logs l USING (request_id)
                WHERE l.customer_id = ? AND o.served_at = l."timestamp"
                """, Long.class, customer))
                .as("each request queued for billing once, at the time it was first logged").isEqualTo(3);
    }

    /** Stores the rows in one batch; with {@code alongsideALoggedRequest} the batch also repeats a logged request. */
    private static void store(boolean alongsideALoggedRequest, InferenceLogEntry... rows) {
        List<InferenceLogEntry> batch = new ArrayList<>(List.of(rows));
        if (alongsideALoggedRequest) {
            InferenceLogEntry logged = entry(UUID.randomUUID(), "logged before");
            store.insert(List.of(logged));
            batch.add(0, logged);
        }
        store.insert(batch);
    }

    private static Map<String, Object> logRow(UUID requestId) {
        return database.jdbc().queryForMap("SELECT * FROM inference.inference_logs WHERE request_id = ?", requestId);
    }

    private static float[] storedEmbedding(UUID requestId) throws Exception {
        Array stored = database.jdbc().queryForObject(
                "SELECT embedding::real[] FROM inference.inference_logs WHERE request_id = ?", Array.class, requestId);
        Float[] boxed = (Float[]) stored.getArray();
        float[] values = new float[boxed.length];
        for (int i = 0; i < boxed.length; i++) {
            values[i] = boxed[i];
        }
        return values;
    }

    private static InferenceLogEntry entry(UUID customer, String instruction) {
        return entry(customer, instruction, null, 0.5);
    }

    private static InferenceLogEntry entry(UUID customer, String instruction, float[] embedding, Double safetyScore) {
        return new InferenceLogEntry(UUID.randomUUID(), customer, null, SENT_AT, "tabletop-v1", "1.0.0", null,
                instruction, new double[7], 1.0, 2.0, 200, null, 100, 8, 8, 1, embedding, safetyScore, null, null, null);
    }
}
