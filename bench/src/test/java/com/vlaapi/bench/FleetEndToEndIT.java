package com.vlaapi.bench;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import com.vlaapi.bench.fleet.LocalFleet;
import com.vlaapi.referencepolicy.eval.EvalSet;
import com.vlaapi.testsupport.seed.SeedQueries;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a new user does, against the real fleet: create a customer with the operator command, call
 * the gateway with held-out scenes (Java client, curl-equivalent, and the seed's Python snippet),
 * get correct actions, see the rows in PostgreSQL, and get clear 4xx errors for bad input.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetEndToEndIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final EvalSet SCENES = EvalSet.read(ROOT.resolve("reference-policy/evalsets/tabletop-v1"));
    private static final int SCENE_COUNT = 40;

    /**
     * Redis is healthy here, so the gateways wait for its decisions however slow this busy machine
     * makes them: the exact quota holds when Redis decides, and a request failing open is decided by
     * one instance's local view (gateway-service's RedisOutageTest covers that).
     */
    private static final Map<String, String> PATIENT_WITH_REDIS = Map.of(
            "VLA_GATEWAY_LIMITS_SILENT_REDIS_TIMEOUT", "2s",
            "VLA_GATEWAY_LIMITS_MAX_DECISION_WAIT", "10s",
            "SPRING_DATA_REDIS_TIMEOUT", "10s");

    private static LocalFleet fleet;
    private static String apiKey;
    private static String customerId;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = new LocalFleet(ROOT).configure("gateway-service", PATIENT_WITH_REDIS);
        fleet.start();
        ProcessBuilder command = new ProcessBuilder(ROOT.resolve("deploy/scripts/create-customer.sh").toString(),
                "--company", "Acme Robotics", "--email", "ops@acme.example", "--tier", "enterprise",
                "--non-interactive", "--json")
                .redirectErrorStream(true);
        command.environment().put("VLA_ADMIN_TOKEN", fleet.adminToken);
        command.environment().put("VLA_CUSTOMER_URL", fleet.url("customer-service", "").toString());
        Process create = command.start();
        String output = new String(create.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, create.waitFor(), output);
        JsonNode created = JSON.readTree(output);
        apiKey = created.get("api_key").get("key").asString();
        customerId = created.get("customer").get("customer_id").asString();
    }

    @AfterAll
    static void stopFleet() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
    }

    private HttpResponse<String> infer(String key, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(fleet.url("gateway-service", "/v1/inference"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] json(Map<String, Object> body) {
        return JSON.writeValueAsBytes(body);
    }

    private static Map<String, Object> request(byte[] image, String instruction) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("image", Base64.getEncoder().encodeToString(image));
        body.put("instruction", instruction);
        return body;
    }

    @Test
    @Order(1)
    void heldOutScenesThroughTheGatewayGetCorrectActions() throws Exception {
        int correct = 0;
        for (EvalSet.Scene scene : SCENES.scenes().subList(0, SCENE_COUNT)) {
            HttpResponse<String> response = infer(apiKey, "application/json",
                    json(request(scene.imageBytes(), scene.instruction())));
            assertEquals(200, response.statusCode(), response.body());
            JsonNode action = JSON.readTree(response.body()).get("action");
            double[] values = new double[7];
            for (int i = 0; i < 7; i++) {
                values[i] = action.get("values").get(i).asDouble();
            }
            if (SCENES.criterion().isSuccess(values, scene.expertAction())) {
                correct++;
            }
        }
        assertTrue(correct >= SCENE_COUNT * 0.95, correct + "/" + SCENE_COUNT + " correct actions");
    }

    @Test
    @Order(2)
    void theSeedsPythonSnippetWorksAsWritten() throws Exception {
        EvalSet.Scene scene = SCENES.scenes().get(1);
        ProcessBuilder command = new ProcessBuilder("/usr/bin/python3", ROOT.resolve("examples/quickstart.py").toString(),
                apiKey, scene.image().toString(), scene.instruction())
                .redirectErrorStream(true);
        command.environment().put("VLA_API_URL", fleet.url("gateway-service", "").toString());
        Process python = command.start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, python.waitFor(), output);
        double[] values = Arrays.stream(output.replaceAll("[\\[\\]]", "").split(","))
                .mapToDouble(v -> Double.parseDouble(v.trim())).toArray();
        assertEquals(7, values.length, output);
        assertTrue(SCENES.criterion().isSuccess(values, scene.expertAction()), output);
    }

    @Test
    @Order(3)
    void unknownOrMissingKeysGet401() throws Exception {
        byte[] body = json(request(SCENES.scenes().get(0).imageBytes(), "pick up the red cube"));
        assertEquals(401, infer("vla_live_" + "x".repeat(43), "application/json", body).statusCode());
        assertEquals(401, infer(null, "application/json", body).statusCode());
    }

    @Test
    @Order(4)
    void eachKindOfBadInputGetsA4xxAndItsErrorCode() throws Exception {
        byte[] png = SCENES.scenes().get(0).imageBytes();
        Map<String, Object> cases = new LinkedHashMap<>();
        cases.put("invalid_base64", Map.of("image", "this is not base64!!", "instruction", "grab the ball"));
        cases.put("not_an_image", Map.of("image", b64("hello world".getBytes()), "instruction", "grab the ball"));
        cases.put("truncated_image", Map.of("image", b64(Arrays.copyOf(png, png.length / 2)), "instruction", "grab the ball"));
        cases.put("image_too_large", Map.of("image", b64(pngHeader(20000, 20000)), "instruction", "grab the ball"));
        cases.put("missing_image", Map.of("instruction", "grab the ball"));
        cases.put("empty_instruction", Map.of("image", b64(png), "instruction", ""));
        cases.put("instruction_too_long", Map.of("image", b64(png), "instruction", "grab ".repeat(300)));
        cases.put("unknown_model", Map.of("image", b64(png), "instruction", "grab the ball", "model", "openvla-7b"));
        cases.put("unknown_unnorm_key", Map.of("image", b64(png), "instruction", "grab the ball", "unnorm_key", "bridge"));
        for (var c : cases.entrySet()) {
            @SuppressWarnings("unchecked")
            HttpResponse<String> response = infer(apiKey, "application/json", json((Map<String, Object>) c.getValue()));
            assertError(response, 400, c.getKey());
        }
        assertError(infer(apiKey, "application/json", "{\"image\": ".getBytes()), 400, "invalid_json");
        assertError(infer(apiKey, "text/plain", "hello".getBytes()), 415, "unsupported_media_type");
        byte[] huge = new byte[13 * 1024 * 1024];
        Arrays.fill(huge, (byte) 'A');
        assertError(infer(apiKey, "application/json", huge), 413, "request_too_large");
    }

    private static long billedRequests(Statement sql) throws Exception {
        try (ResultSet rs = sql.executeQuery("SELECT count(*) FROM billing.usage_events WHERE customer_id = '"
                + UUID.fromString(customerId) + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), code + ": " + response.body());
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertEquals(code, error.get("code").asString(), response.body());
        assertTrue(error.get("message").asString().length() > 10, response.body());
        assertEquals(response.headers().firstValue("X-Request-Id").orElseThrow(), error.get("request_id").asString());
    }

    @Test
    @Order(5)
    void everyRequestIsInTheLogAndTheSeedsQueriesGiveRealNumbers() throws Exception {
        try (Connection db = fleet.connect(); Statement sql = db.createStatement()) {
            // The log is written asynchronously, in batches: wait for the last ones.
            long[] counts = new long[2];
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                try (ResultSet rs = sql.executeQuery("SELECT count(*) FILTER (WHERE status_code = 200"
                        + " AND customer_id = '" + UUID.fromString(customerId) + "' AND vector_dims(embedding) = 64),"
                        + " count(*) FILTER (WHERE status_code >= 400) FROM inference.inference_logs")) {
                    rs.next();
                    counts[0] = rs.getLong(1);
                    counts[1] = rs.getLong(2);
                }
                assertEquals(SCENE_COUNT + 1, counts[0], "held-out scenes + the Python snippet");
                assertTrue(counts[1] >= 10, "the bad requests are logged too: " + counts[1] + " error rows");
            });
            // monthly_usage counts billing's usage events, which the usage relay delivers after the log.
            long logged = counts[0];
            await().atMost(Duration.ofSeconds(10)).until(() -> billedRequests(sql) >= logged);
            // The seed's queries, verbatim (the database's search_path puts the reporting views first),
            // as operators run them: with their read role.
            sql.execute("SET ROLE vlaapi");
            try (ResultSet rs = sql.executeQuery(SeedQueries.MONTHLY_USAGE)) {
                assertTrue(rs.next());
                assertEquals("Acme Robotics", rs.getString("company_name"));
                assertEquals("enterprise", rs.getString("tier"));
                assertEquals(SCENE_COUNT + 1, rs.getLong("monthly_usage"));
                assertEquals((SCENE_COUNT + 1) * 100.0 / rs.getLong("monthly_quota"), rs.getDouble("usage_percent"), 1e-9);
            }
            try (ResultSet rs = sql.executeQuery(SeedQueries.LATENCY_LAST_30_DAYS)) {
                assertTrue(rs.next());
                assertEquals("Acme Robotics", rs.getString("company_name"));
                assertTrue(rs.getLong("total_requests") > SCENE_COUNT);
                assertTrue(rs.getDouble("avg_latency") > 0);
            }
        }
    }

    /**
     * Least privilege: each service ran its migrations as its own role, which owns its schema, and
     * reads nothing else but the views another service publishes to it; the operators' role reads
     * the reporting views alone, and cannot change what they show.
     */
    @Test
    @Order(8)
    void eachDatabaseRoleReadsOnlyItsOwnSchemaAndWhatIsPublishedToIt() throws Exception {
        List<String> relations = List.of("customer.customers", "customer.api_keys", "customer.customers_v1",
                "inference.inference_logs", "inference.usage_outbox", "inference.request_log_v1",
                "inference.usage_in_transit_v1", "billing.usage_events", "billing.invoices",
                "billing.invoice_line_items", "reporting.customers", "reporting.inference_logs", "reporting.invoices");
        Map<String, List<String>> readable = Map.of(
                "customer_service", List.of("customer.customers", "customer.api_keys", "customer.customers_v1"),
                "inference_service", List.of("inference.inference_logs", "inference.usage_outbox",
                        "inference.request_log_v1", "inference.usage_in_transit_v1", "customer.customers_v1"),
                "billing_service", List.of("billing.usage_events", "billing.invoices", "billing.invoice_line_items",
                        "reporting.customers", "reporting.inference_logs", "reporting.invoices",
                        "customer.customers_v1", "inference.request_log_v1", "inference.usage_in_transit_v1"),
                "vlaapi", List.of("reporting.customers", "reporting.inference_logs", "reporting.invoices"));
        List<String> wrong = new ArrayList<>();
        try (Connection db = fleet.connect(); Statement sql = db.createStatement()) {
            try (ResultSet rs = sql.executeQuery("SELECT n.nspname, pg_get_userbyid(c.relowner), count(*) FROM pg_class c"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('customer', 'inference', 'billing',"
                    + " 'reporting') GROUP BY 1, 2 ORDER BY 1")) {
                Map<String, String> owners = new LinkedHashMap<>();
                while (rs.next()) {
                    owners.merge(rs.getString(1), rs.getString(2), (a, b) -> a + "," + b);
                }
                assertEquals(Map.of("billing", "billing_service", "customer", "customer_service",
                        "inference", "inference_service", "reporting", "billing_service"), owners,
                        "each schema's tables, views and sequences belong to its service's role alone");
            }
            db.setAutoCommit(false);
            for (Map.Entry<String, List<String>> role : readable.entrySet()) {
                for (String relation : relations) {
                    boolean allowed = role.getValue().contains(relation);
                    String outcome = attempt(db, role.getKey(), "SELECT 1 FROM " + relation + " LIMIT 1");
                    if (allowed != outcome.equals("ok")) {
                        wrong.add(role.getKey() + " reading " + relation + ": " + outcome);
                    }
                }
            }
            for (String write : List.of("DELETE FROM reporting.invoices", "CREATE TABLE reporting.notes (note text)",
                    "CREATE SCHEMA operators_own")) {
                String outcome = attempt(db, "vlaapi", write);
                if (!outcome.equals("42501")) {
                    wrong.add("vlaapi: " + write + ": " + outcome);
                }
            }
        }
        assertEquals(List.of(), wrong, "ok: allowed; 42501: permission denied");
    }

    /** Runs one statement as {@code role} and rolls it back: "ok", or the SQLSTATE it failed with. */
    private static String attempt(Connection db, String role, String statement) throws Exception {
        try (Statement sql = db.createStatement()) {
            sql.execute("SET LOCAL ROLE " + role);
            sql.execute(statement);
            return "ok";
        } catch (SQLException e) {
            return e.getSQLState();
        } finally {
            db.rollback();
        }
    }

    /**
     * Issue 4's acceptance, end to end: two gateway instances, 50 concurrent clients, one free-tier
     * customer with a quota of 500. Exactly 500 inferences succeed, everything else is
     * {@code quota_exceeded}, and the shared monthly counter equals the request log.
     */
    @Test
    @Order(6)
    void twoGatewaysAndFiftyClientsStopExactlyAtTheQuota() throws Exception {
        URI secondGateway = fleet.startExtra("gateway-2", "gateway-service", Map.of(
                "VLA_CUSTOMER_URL", fleet.url("customer-service", "").toString(),
                "VLA_INFERENCE_URLS", fleet.url("inference-service", "").toString(),
                "VLA_REDIS_PREFIX", fleet.redisPrefix));
        // Only the quota is under test: lift the free tier's 60/min burst limit out of the way.
        FleetCustomer customer = FleetCustomer.create(fleet, "Quota Labs", "free")
                .withLimits(fleet, "{\"monthly_quota\": 500, \"rate_limit_per_minute\": 100000}");
        String key = customer.apiKey();
        String id = customer.id().toString();

        List<URI> gateways = List.of(fleet.url("gateway-service", "/v1/inference"),
                secondGateway.resolve("/v1/inference"));
        byte[] body = json(request(SCENES.scenes().get(0).imageBytes(), SCENES.scenes().get(0).instruction()));
        ConcurrentHashMap<String, AtomicInteger> outcomes =
                new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(50);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < 50; c++) {
            int client = c;
            done.add(clients.submit(() -> {
                for (int i = 0; i < 14; i++) {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(gateways.get((client + i) % 2))
                            .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + key)
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    String outcome = response.statusCode() == 200 ? "200"
                            : response.statusCode() + " " + JSON.readTree(response.body()).get("error").get("code").asString();
                    outcomes.computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        clients.shutdown();
        String failedOpen = failedOpen("gateway-service") + " and " + failedOpen("gateway-2")
                + " requests failed open";
        assertEquals(500, outcomes.get("200").get(), outcomes + ", " + failedOpen);
        assertEquals(200, outcomes.get("429 quota_exceeded").get(), outcomes.toString());
        assertEquals(2, outcomes.size(), outcomes.toString());

        // The gateways settle in batches, a few milliseconds after each answer.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            Process get = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "GET",
                    fleet.redisPrefix + "usage:{" + id + "}:" + YearMonth.now(fleet.clock)).start();
            String counter = new String(get.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals(0, get.waitFor());
            assertEquals("500", counter, "the monthly counter in Redis");
        });
        assertLoggedSuccesses(id, 500);
    }

    /** Requests the gateway decided without Redis, every reason added up. */
    private long failedOpen(String gateway) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(fleet.managementUrl(gateway, "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(line -> line.startsWith("vla_gateway_ratelimit_fail_open_total"))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** customer-service's tiers decide, through the key lookup's metered field: enterprise is billed past its quota. */
    @Test
    @Order(7)
    void aMeteredTiersCustomerIsServedPastItsQuota() throws Exception {
        HttpResponse<String> created = http.send(admin("/admin/v1/customers").POST(HttpRequest.BodyPublishers.ofString(
                "{\"company_name\": \"Metered Labs\", \"email\": \"ops@metered.example\", \"tier\": \"enterprise\","
                        + " \"monthly_quota\": 2}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        JsonNode customer = JSON.readTree(created.body());
        String key = customer.get("api_key").get("key").asString();
        byte[] body = json(request(SCENES.scenes().get(0).imageBytes(), SCENES.scenes().get(0).instruction()));

        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = infer(key, "application/json", body);
            assertEquals(200, response.statusCode(), "request " + (i + 1) + " of a quota of 2: " + response.body());
        }
        assertLoggedSuccesses(customer.get("customer").get("customer_id").asString(), 4);
    }

    private HttpRequest.Builder admin(String path) {
        return HttpRequest.newBuilder(fleet.url("customer-service", path))
                .header("Authorization", "Bearer " + fleet.adminToken).header("Content-Type", "application/json");
    }

    /** The customer's successful rows are {@code expected}, once the asynchronous log has written them. */
    private static void assertLoggedSuccesses(String customer, long expected) throws Exception {
        try (Connection db = fleet.connect(); Statement sql = db.createStatement()) {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                try (ResultSet rs = sql.executeQuery("SELECT count(*) FROM inference.inference_logs WHERE status_code = 200"
                        + " AND customer_id = '" + UUID.fromString(customer) + "'")) {
                    rs.next();
                    assertEquals(expected, rs.getLong(1), "successful requests of the customer in inference_logs");
                }
            });
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** A PNG signature and IHDR announcing width x height pixels: a decompression bomb's header. */
    private static byte[] pngHeader(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        byte[] ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2).array();
        CRC32 crc = new CRC32();
        crc.update("IHDR".getBytes());
        crc.update(ihdr);
        out.writeBytes(ByteBuffer.allocate(4).putInt(13).array());
        out.writeBytes("IHDR".getBytes());
        out.writeBytes(ihdr);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        return out.toByteArray();
    }
}
