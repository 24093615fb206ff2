package com.vlaapi.inference.similarity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.vlaapi.inference.requestlog.InferenceLogEntry;
import com.vlaapi.inference.requestlog.RequestLogWriter;
import com.vlaapi.inference.similarity.SimilaritySearch.Basis;
import com.vlaapi.inference.support.StandaloneApplication;
import com.vlaapi.testsupport.database.TestDatabase;
import com.vlaapi.testsupport.http.ApiClient;
import com.vlaapi.testsupport.http.ApiClient.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The admin similarity search against a real request log: two customers whose requests are
 * interleaved in time and across two monthly partitions, the other customer holding far more
 * requests nearer to the asked one than the asking customer does. The asking customer must get its
 * own nearest requests, nearest first, and never the other's; the other customer's request ids
 * must look like ids that do not exist.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimilaritySearchIntegrationTest {

    private static final String ADMIN_TOKEN = "test-admin-token";
    private static final int DIMENSIONS = InstructionEmbedding.DIMENSIONS;
    /** Enough rows that the planner weighs the index against reading a customer's rows whole. */
    private static final int BACKGROUND_PER_CUSTOMER = 1_500;
    /** More than hnsw.ef_search (40): without the iterative scan they would crowd out the asker's rows. */
    private static final int OTHERS_NEARER = 200;
    private static final List<String> NEAR_INSTRUCTIONS = List.of("pick up the red cube", "pick up the red cubes",
            "grab the red cube", "pick up a red cube now", "pick up the cube");
    private static final List<String> FAR_INSTRUCTIONS = List.of("go to the blue ball", "open the top drawer",
            "move left slowly", "wipe the table", "stack blocks on plates");

    private final UUID asker = UUID.randomUUID();
    private final UUID other = UUID.randomUUID();
    private final Random random = new Random(18);
    private final float[] seed = unit(gaussian());
    /** Every row logged, by request id: its customer, and both embeddings. */
    private final Map<UUID, InferenceLogEntry> logged = new HashMap<>();
    private final List<UUID> askersNear = new ArrayList<>();

    private TestDatabase database;
    private ConfigurableApplicationContext application;
    private ApiClient admin;
    private UUID asked;
    /** The asker's request nearest to the asked one, but older than an image search's default window. */
    private UUID tenDaysAgo;
    private UUID othersRequest;

    @BeforeAll
    void logInterleavedRequests() {
        database = TestDatabase.create("inference").withMigrationsOf("customer-service", "customer");
        application = StandaloneApplication.start(database, "--vla.admin-token=" + ADMIN_TOKEN,
                "--vla.inference.usage-relay.enabled=false");
        admin = ApiClient.onPort(((WebServerApplicationContext) application).getWebServer().getPort())
                .withHeader("Authorization", "Bearer " + ADMIN_TOKEN);
        RequestLogWriter writer = application.getBean(RequestLogWriter.class);

        Instant thisMonth = Instant.now();
        Instant nextMonth = YearMonth.now(ZoneOffset.UTC).plusMonths(1).atDay(2).atStartOfDay(ZoneOffset.UTC).toInstant();
        List<InferenceLogEntry> rows = new ArrayList<>();
        asked = add(rows, asker, thisMonth, seed, NEAR_INSTRUCTIONS.get(0));
        tenDaysAgo = add(rows, asker, thisMonth.minus(Duration.ofDays(10)), near(seed, 0.001f), NEAR_INSTRUCTIONS.get(0));
        for (int i = 0; i < OTHERS_NEARER; i++) {
            Instant at = (i % 2 == 0 ? thisMonth : nextMonth).plusMillis(i);
            UUID id = add(rows, other, at, near(seed, 0.01f), NEAR_INSTRUCTIONS.get(0));
            othersRequest = othersRequest == null ? id : othersRequest;
            if (i % 40 == 0) {
                int k = askersNear.size() + 1;
                askersNear.add(add(rows, asker, at.plusMillis(1), near(seed, 0.05f * k), NEAR_INSTRUCTIONS.get(k - 1)));
            }
        }
        for (int i = 0; i < BACKGROUND_PER_CUSTOMER; i++) {
            Instant at = (i % 2 == 0 ? thisMonth : nextMonth).plusSeconds(1 + i);
            String instruction = FAR_INSTRUCTIONS.get(i % FAR_INSTRUCTIONS.size());
            add(rows, asker, at, unit(gaussian()), instruction);
            add(rows, other, at.plusMillis(1), unit(gaussian()), instruction);
        }
        rows.forEach(writer::record);
        await().atMost(Duration.ofSeconds(60)).until(() -> database.jdbc().queryForObject(
                "SELECT count(*) FROM inference.inference_logs", Long.class) == rows.size());
        database.jdbc().execute("ANALYZE inference.inference_logs");
    }

    @AfterAll
    void stop() {
        if (application != null) {
            application.close();
        }
        if (database != null) {
            database.drop();
        }
    }

    @Test
    void requestsLikeARequestByImageAreTheCustomersOwnNearestFirst() {
        Response response = admin.get(similarTo(asker, asked) + "?by=image&limit=5");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("by").asString()).isEqualTo("image");
        assertThat(ids(response)).as("the asker's five near requests, nearest first; itself and the other's excluded")
                .containsExactlyElementsOf(expected(Basis.IMAGE, embeddingOf(asked, Basis.IMAGE), 5, asked));
        assertThat(distances(response)).isSorted().allSatisfy(d -> assertThat(d).isLessThan(0.05));
        JsonNode first = response.json().path("similar").get(0);
        assertThat(first.path("instruction").asString()).isEqualTo(NEAR_INSTRUCTIONS.get(0));
        assertThat(first.path("action")).hasSize(7);
        assertThat(first.path("safety_score").asDouble()).isEqualTo(0.75);
        assertThat(Instant.parse(first.path("timestamp").asString())).isNotNull();
    }

    @Test
    void requestsLikeARequestByInstructionAreTheCustomersOwnNearestFirst() {
        Response response = admin.get(similarTo(asker, asked) + "?by=instruction&limit=4");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(ids(response)).containsExactlyElementsOf(
                expected(Basis.INSTRUCTION, embeddingOf(asked, Basis.INSTRUCTION), 4, asked));
        assertThat(ids(response)).as("the asker's requests of the near instructions, the old one too")
                .allMatch(id -> askersNear.contains(id) || id.equals(tenDaysAgo));
    }

    @Test
    void requestsLikeAnInstructionTextAreTheCustomersOwnNearestFirst() {
        String text = "Grab the red cube!";
        Response response = admin.get("/admin/v1/customers/" + asker + "/requests/similar?limit=20&instruction="
                + URLEncoder.encode(text, StandardCharsets.UTF_8));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("by").asString()).isEqualTo("instruction");
        assertThat(ids(response)).hasSize(20).containsExactlyElementsOf(
                expected(Basis.INSTRUCTION, InstructionEmbedding.of(text), 20, null))
                .allMatch(id -> logged.get(id).customerId().equals(asker));
        assertThat(distances(response)).isSorted();
        JsonNode first = response.json().path("similar").get(0);
        assertThat(first.path("instruction").asString()).as("the same words, another case and punctuation")
                .isEqualTo("grab the red cube");
        assertThat(first.path("distance").asDouble()).isLessThan(1e-6);
    }

    @Test
    void anotherCustomersRequestIsNotFound() {
        for (String by : List.of("image", "instruction")) {
            Response response = admin.get(similarTo(asker, othersRequest) + "?by=" + by);
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.errorCode()).isEqualTo("request_not_found");
            assertThat(response.body()).doesNotContain(other.toString());
        }
        Response unknown = admin.get(similarTo(asker, UUID.randomUUID()));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("request_not_found");

        Response owner = admin.get(similarTo(other, othersRequest) + "?limit=3");
        assertThat(owner.status()).as("its own customer finds it").isEqualTo(200);
        assertThat(ids(owner)).hasSize(3).allMatch(id -> logged.get(id).customerId().equals(other));
    }

    @Test
    void badParametersAreRefusedNamingTheParameter() {
        String base = "/admin/v1/customers/" + asker + "/requests";
        Map<String, String> refusals = Map.of(
                similarTo(asker, asked) + "?by=colour", "invalid_by",
                similarTo(asker, asked) + "?limit=0", "invalid_limit",
                similarTo(asker, asked) + "?limit=101", "invalid_limit",
                similarTo(asker, asked) + "?limit=ten", "invalid_limit",
                base + "/similar", "invalid_instruction",
                base + "/similar?instruction=%3F%21", "invalid_instruction",
                base + "/not-a-uuid/similar", "invalid_request_id",
                "/admin/v1/customers/nobody/requests/similar?instruction=go", "invalid_customer_id");
        refusals.forEach((path, code) -> {
            Response response = admin.get(path);
            assertThat(response.status()).as(path).isEqualTo(400);
            assertThat(response.errorCode()).as(path).isEqualTo(code);
            assertThat(response.json().at("/error/message").asString()).as(path).contains(code.substring("invalid_".length()));
        });
        Response withoutToken = ApiClient.onPort(((WebServerApplicationContext) application).getWebServer().getPort())
                .get(similarTo(asker, asked));
        assertThat(withoutToken.status()).isEqualTo(401);
    }

    @Test
    void instructionsAreKeptOncePerCustomerUnderTheirHnswIndex() {
        assertThat(database.jdbc().queryForList("SELECT indexdef FROM pg_indexes WHERE schemaname = 'inference'"
                + " AND tablename = 'customer_instructions'", String.class))
                .anyMatch(index -> index.contains("USING hnsw (embedding vector_cosine_ops)"));
        assertThat(database.jdbc().queryForObject("SELECT count(*) FROM inference.customer_instructions WHERE customer_id = ?",
                Long.class, asker)).isEqualTo(NEAR_INSTRUCTIONS.size() + FAR_INSTRUCTIONS.size());
    }

    @Test
    void anImageSearchLooksOnlyAsFarBackAsAsked() {
        assertThat(ids(admin.get(similarTo(asker, asked) + "?by=image&limit=3"))).doesNotContain(tenDaysAgo);

        Response month = admin.get(similarTo(asker, asked) + "?by=image&limit=3&days=31");
        assertThat(ids(month)).first().as("the nearest of all, ten days old").isEqualTo(tenDaysAgo);

        assertThat(admin.get(similarTo(asker, asked) + "?days=32").errorCode()).isEqualTo("invalid_days");
    }

    /**
     * The customer's requests nearest to {@code vector}, computed exhaustively here: by instruction,
     * the requests of the nearest instruction first, newest first among them.
     */
    private List<UUID> expected(Basis basis, float[] vector, int limit, UUID excluded) {
        Instant window = Instant.now().minus(Duration.ofDays(7));
        Comparator<InferenceLogEntry> nearest = Comparator.comparingDouble(row -> distance(vector, embedding(row, basis)));
        if (basis == Basis.INSTRUCTION) {
            nearest = nearest.thenComparing(InferenceLogEntry::timestamp, Comparator.reverseOrder());
        }
        return logged.values().stream()
                .filter(row -> row.customerId().equals(asker) && !row.requestId().equals(excluded))
                .filter(row -> basis == Basis.INSTRUCTION || row.timestamp().isAfter(window))
                .sorted(nearest)
                .limit(limit).map(InferenceLogEntry::requestId).toList();
    }

    private float[] embeddingOf(UUID requestId, Basis basis) {
        return embedding(logged.get(requestId), basis);
    }

    private static float[] embedding(InferenceLogEntry row, Basis basis) {
        return basis == Basis.IMAGE ? row.embedding() : InstructionEmbedding.of(row.instruction());
    }

    private UUID add(List<InferenceLogEntry> rows, UUID customer, Instant at, float[] embedding, String instruction) {
        InferenceLogEntry row = new InferenceLogEntry(UUID.randomUUID(), customer, null, at, "tabletop-v1", "1.0.0",
                "tabletop_sim", instruction, new double[] {0.01, 0.02, 0, 0, 0, 0, 1}, 1.0, 2.0, 200, null, 100, 8, 8, 1,
                embedding, 0.75, null, null, List.of());
        rows.add(row);
        logged.put(row.requestId(), row);
        return row.requestId();
    }

    private static String similarTo(UUID customer, UUID request) {
        return "/admin/v1/customers/" + customer + "/requests/" + request + "/similar";
    }

    private static List<UUID> ids(Response response) {
        return StreamSupport.stream(response.json().path("similar").spliterator(), false)
                .map(node -> UUID.fromString(node.path("request_id").asString())).toList();
    }

    private static List<Double> distances(Response response) {
        return StreamSupport.stream(response.json().path("similar").spliterator(), false)
                .map(node -> node.path("distance").asDouble()).toList();
    }

    /** {@code center} moved by {@code step} in a random direction: cosine distance grows with the step. */
    private float[] near(float[] center, float step) {
        float[] direction = unit(gaussian());
        float[] moved = new float[DIMENSIONS];
        IntStream.range(0, DIMENSIONS).forEach(i -> moved[i] = center[i] + step * direction[i]);
        return unit(moved);
    }

    private float[] gaussian() {
        float[] v = new float[DIMENSIONS];
        IntStream.range(0, DIMENSIONS).forEach(i -> v[i] = (float) random.nextGaussian());
        return v;
    }

    private static float[] unit(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float[] u = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = (float) (v[i] / Math.sqrt(norm));
        }
        return u;
    }

    private static double distance(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
        }
        return 1 - dot;
    }
}
