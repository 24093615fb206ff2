package com.vlaapi.inference.api;

import static com.vlaapi.inference.support.Gateway.body;
import static com.vlaapi.inference.support.JsonArrays.doubles;
import static com.vlaapi.inference.support.JsonArrays.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.inference.support.Gateway;
import com.vlaapi.inference.testdatabase.OwnTestDatabase;
import com.vlaapi.referencepolicy.eval.EvalSet;
import com.vlaapi.testsupport.clock.CalendarEdge;
import com.vlaapi.testsupport.clock.MutableClock;
import com.vlaapi.testsupport.database.TestDatabase;
import com.vlaapi.testsupport.http.ApiClient;
import com.vlaapi.testsupport.http.ApiClient.Response;
import com.vlaapi.testsupport.images.BadImages;
import com.vlaapi.testsupport.repo.RepoPaths;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.bean.override.convention.TestBean;
import tools.jackson.databind.JsonNode;

/**
 * The whole service over real HTTP, with the real model and a real PostgreSQL database of its own:
 * the inference contract, every class of bad input, the trust boundary and the request log.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "vla.internal-token=" + Gateway.TOKEN,
        // Small, so oversized bodies stay cheap to send.
        "vla.inference.max-body-bytes=256KB",
        // The outbox keeps what it would deliver, for the test to read.
        "vla.inference.usage-relay.enabled=false"})
@Import(OwnTestDatabase.class)
@DirtiesContext
class InferenceApiIntegrationTest {

    private static final EvalSet evalSet = EvalSet.read(RepoPaths.evalSet());
    private static final int SCENES = 8;
    private static final MutableClock CLOCK = MutableClock.startingNow();
    static final List<CalendarEdge> edges = CalendarEdge.ALL;

    @TestBean
    Clock clock;
    @Autowired
    TestDatabase database;

    @LocalServerPort
    int port;
    /** Sends none of the gateway's headers. */
    private ApiClient api;
    private ApiClient gateway;
    private JdbcTemplate db;

    static Clock clock() {
        return CLOCK;
    }

    @BeforeEach
    void connect() {
        api = ApiClient.onPort(port);
        gateway = Gateway.calling(api);
        db = database.jdbc();
    }

    @Test
    void heldOutScenesGetCorrectActionsAndAreLogged() throws IOException {
        for (EvalSet.Scene scene : evalSet.scenes().subList(0, SCENES)) {
            byte[] png = scene.imageBytes();
            Instant servedAt = Instant.parse("2027-03-14T15:09:26.535Z").plusSeconds(scene.id());
            CLOCK.set(servedAt);
            Response response = api.send(inference(
                    body("image", Base64.getEncoder().encodeToString(png), "instruction", scene.instruction())));

            assertEquals(200, response.status(), response.body());
            JsonNode result = response.json();
            double[] action = doubles(result.at("/action/values"));
            assertTrue(evalSet.criterion().isSuccess(action, scene.expertAction()), () -> "scene " + scene.id()
                    + " '" + scene.instruction() + "': " + Arrays.toString(action) + " vs expert "
                    + Arrays.toString(scene.expertAction()));
            assertEquals("tabletop-v1", result.get("model").asString());
            assertEquals("2.0.0", result.get("model_version").asString());
            assertEquals(List.of("dx", "dy", "dz", "droll", "dpitch", "dyaw", "gripper"),
                    strings(result.at("/action/names")));
            assertEquals("tabletop_sim", result.at("/action/unnorm_key").asString());
            UUID requestId = UUID.fromString(result.get("request_id").asString());
            assertEquals(requestId.toString(), response.headers().firstValue("X-Request-Id").orElseThrow());
            double latencyMs = result.get("latency_ms").asDouble();
            assertThat(latencyMs).isPositive();
            for (String part : List.of("preprocess", "queue", "inference")) {
                assertTrue(result.at("/timings_ms/" + part).isNumber(), part);
            }
            String createdAt = result.get("created_at").asString();
            assertThat(createdAt).endsWith("Z");
            assertEquals(servedAt, Instant.parse(createdAt), "the service's clock, not the machine's");

            Map<String, Object> row = awaitRow(requestId);
            assertEquals(200, row.get("status_code"));
            assertEquals(null, row.get("error_code"));
            assertEquals(Gateway.CUSTOMER, row.get("customer_id"));
            assertEquals(Gateway.API_KEY, row.get("api_key_id"));
            assertEquals(scene.instruction(), row.get("instruction"));
            assertEquals("tabletop-v1", row.get("model"));
            assertEquals("2.0.0", row.get("model_version"));
            assertEquals("tabletop_sim", row.get("unnorm_key"));
            assertEquals(png.length, row.get("image_bytes"));
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertEquals(image.getWidth(), row.get("image_width"));
            assertEquals(image.getHeight(), row.get("image_height"));
            assertThat((Integer) row.get("batch_size")).isPositive();
            assertEquals(64, row.get("embedding_dims"));
            assertThat((Double) row.get("embedding_norm")).isCloseTo(1.0, offset(1e-4));
            assertThat((double[]) row.get("action")).containsExactly(action);
            assertThat((Double) row.get("inference_latency_ms")).isPositive();
            assertThat((Double) row.get("total_latency_ms")).isGreaterThanOrEqualTo(latencyMs);
            assertEquals(servedAt, ((Timestamp) row.get("timestamp")).toInstant());
        }
    }

    @Test
    void imageEncodingsThatClientsUseAreAccepted() {
        EvalSet.Scene scene = evalSet.scenes().get(1);
        byte[] png = scene.imageBytes();
        String standard = Base64.getEncoder().encodeToString(png);
        double[] expected = actionFor(standard, scene.instruction());
        for (String encoded : List.of(
                "data:image/png;base64," + standard,
                Base64.getUrlEncoder().withoutPadding().encodeToString(png),
                Base64.getMimeEncoder().encodeToString(png))) {
            assertThat(actionFor(encoded, scene.instruction())).containsExactly(expected);
        }
    }

    /** PostgreSQL text cannot hold NUL; an unclean row would fail its batch on every retry and stall the log. */
    @Test
    void anInstructionWithANulCharacterIsStillLogged() {
        Response response = api.send(inference(body("image",
                b64(evalSet.scenes().get(0).imageBytes()), "instruction", "grab the green\u0000 block")));
        assertEquals(200, response.status(), response.body());
        Map<String, Object> row = awaitRow(UUID.fromString(response.json().get("request_id").asString()));
        assertEquals("grab the green block", row.get("instruction"));
    }

    @Test
    void everyClassOfBadInputGetsItsStatusAndCodeAndIsLogged() {
        String png = Base64.getEncoder().encodeToString(evalSet.scenes().get(0).imageBytes());
        byte[] pngBytes = evalSet.scenes().get(0).imageBytes();
        record Case(String contentType, String body, int status, String code) {
        }
        List<Case> cases = List.of(
                new Case("application/json", "{\"image\": \"abc\", ", 400, "invalid_json"),
                new Case("application/json", "{\"image\": \"a\", \"image\": \"b\"}", 400, "invalid_json"),
                new Case("application/json", "[1, 2]", 400, "invalid_request_body"),
                new Case("application/json", "", 400, "invalid_request_body"),
                new Case("application/json", body("image", 42, "instruction", "go"), 400, "invalid_field_type"),
                new Case("application/json", body("image", png, "instruction", List.of("go")), 400, "invalid_field_type"),
                new Case("application/json", body("image", png, "instructions", "go"), 400, "unknown_field"),
                new Case("text/plain", body("image", png, "instruction", "go"), 415, "unsupported_media_type"),
                new Case("application/json", body("instruction", "pick up the red cube"), 400, "missing_image"),
                new Case("application/json", body("image", "not base64!", "instruction", "go"), 400, "invalid_base64"),
                new Case("application/json", body("image", "", "instruction", "go"), 400, "empty_image"),
                new Case("application/json", body("image", b64(BadImages.notAnImage()), "instruction", "go"), 400,
                        "not_an_image"),
                new Case("application/json", body("image", b64(BadImages.gif()), "instruction", "go"), 400,
                        "unsupported_image_format"),
                new Case("application/json", body("image", b64(BadImages.pngHeaderOnly(20000, 20000)),
                        "instruction", "go"), 400, "image_too_large"),
                new Case("application/json", body("image", b64(BadImages.truncated(pngBytes)), "instruction", "go"), 400,
                        "truncated_image"),
                new Case("application/json", body("image", png), 400, "empty_instruction"),
                new Case("application/json", body("image", png, "instruction", "pick ".repeat(200)), 400,
                        "instruction_too_long"),
                new Case("application/json", body("image", png, "instruction", "go", "unnorm_key", "bridge_orig"), 400,
                        "unknown_unnorm_key"),
                new Case("application/json", body("image", png, "instruction", "go", "model", "openvla-7b"), 400,
                        "unknown_model"));

        Map<UUID, Case> sent = new LinkedHashMap<>();
        for (Case c : cases) {
            Response response = api.send(gateway.request("/v1/inference").header("Content-Type", c.contentType())
                    .POST(HttpRequest.BodyPublishers.ofString(c.body())));
            sent.put(assertError(response, c.status(), c.code()), c);
        }
        Response unknownField = api.send(inference(body("image", png, "instructions", "go")));
        assertThat(unknownField.json().at("/error/message").asString()).contains("'instructions'");

        sent.forEach((requestId, c) -> {
            Map<String, Object> row = awaitRow(requestId);
            assertEquals(c.status(), row.get("status_code"), c.code());
            assertEquals(c.code(), row.get("error_code"));
            assertEquals(Gateway.CUSTOMER, row.get("customer_id"));
            assertEquals(null, row.get("action"));
        });
    }

    @Test
    void aClientThatTakesNoJsonIsRefusedBeforeTheModelRunsAndIsNotBilled() {
        String png = Base64.getEncoder().encodeToString(evalSet.scenes().get(0).imageBytes());
        Response refused = api.send(gateway.request("/v1/inference").header("Content-Type", "application/json")
                .header("Accept", "text/html").POST(HttpRequest.BodyPublishers.ofString(body("image", png, "instruction", "go"))));

        Map<String, Object> row = awaitRow(assertError(refused, 406, "not_acceptable"));
        assertEquals(406, row.get("status_code"));
        assertEquals("not_acceptable", row.get("error_code"));
        assertEquals(null, row.get("action"));
        Response served = api.send(gateway.request("/v1/inference").header("Content-Type", "application/json")
                .header("Accept", "text/html;q=0.9, application/*;q=0.1").POST(HttpRequest.BodyPublishers.ofString(body("image", png, "instruction", "go"))));
        assertEquals(200, served.status(), served.body());
    }

    @Test
    void bodiesOverTheLimitAreRefusedWhetherDeclaredOrChunked() {
        byte[] oversized = body("image", "A".repeat(300 * 1024), "instruction", "go").getBytes(StandardCharsets.UTF_8);
        Response declared = api.send(gateway.request("/v1/inference").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(oversized)));
        Response chunked = api.send(gateway.request("/v1/inference").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(oversized))));

        for (Response response : List.of(declared, chunked)) {
            UUID requestId = assertError(response, 413, "request_too_large");
            assertEquals("request_too_large", awaitRow(requestId).get("error_code"));
        }
    }

    @Test
    void unknownRoutesAndWrongMethodsGetTheSameErrorShape() {
        Response get = api.send(gateway.request("/v1/inference").GET());
        assertError(get, 405, "method_not_allowed");
        assertEquals("POST", get.headers().firstValue("Allow").orElseThrow());
        assertError(api.send(gateway.request("/v1/inference").PUT(HttpRequest.BodyPublishers.ofString("{}"))), 405,
                "method_not_allowed");
        assertError(api.send(gateway.request("/v1/predict").POST(HttpRequest.BodyPublishers.ofString("{}"))), 404,
                "route_not_found");
        assertError(api.send(gateway.request("/nothing/here").GET()), 404, "route_not_found");
    }

    @Test
    void onlyTheGatewayGetsIn() {
        String valid = body("image", b64(evalSet.scenes().get(0).imageBytes()), "instruction", "grab the green block");
        List<UUID> refused = new ArrayList<>();
        refused.add(assertError(api.send(api.request("/v1/inference").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(valid))), 401, "missing_internal_token"));
        refused.add(assertError(api.send(inference(valid).setHeader("X-Internal-Token", "guess")), 401,
                "invalid_internal_token"));
        refused.add(assertError(api.send(api.request("/v1/inference").header("X-Internal-Token", Gateway.TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(valid))), 401,
                "missing_customer_id"));
        refused.add(assertError(api.send(inference(valid).setHeader("X-Vla-Customer-Id", "customer-42")), 401,
                "invalid_customer_id"));
        refused.add(assertError(api.send(inference(valid).setHeader("X-Vla-Api-Key-Id", "key-1")), 401,
                "invalid_api_key_id"));
        assertError(api.send(api.request("/nothing/here").GET()), 401, "missing_internal_token");

        // The API key id is optional: the gateway may authenticate customers other ways.
        Response withoutKey = api.send(api.request("/v1/inference")
                .header("X-Internal-Token", Gateway.TOKEN)
                .header("X-Vla-Customer-Id", Gateway.CUSTOMER.toString())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(valid)));
        assertEquals(200, withoutKey.status(), withoutKey.body());
        Map<String, Object> row = awaitRow(UUID.fromString(withoutKey.json().get("request_id").asString()));
        assertEquals(null, row.get("api_key_id"));
        // The writer stores rows in arrival order: refused requests would be in by now. They never are.
        assertEquals(0, db.queryForObject("SELECT count(*) FROM inference.inference_logs WHERE request_id = ANY(?)",
                Integer.class, (Object) refused.toArray(UUID[]::new)));
    }

    @Test
    void usageForReconciliationCountsOnlyThisMonthsSuccessfulRequests() {
        UUID customer = UUID.randomUUID();
        YearMonth month = YearMonth.of(2026, 3);
        OffsetDateTime start = month.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC);
        Object[][] rows = {
                {start, 200}, {start.plusHours(5), 200}, {start.plusDays(1), 200},
                {start.plusHours(1), 400}, {start.minusNanos(1_000_000), 200}};
        for (Object[] row : rows) {
            db.update("INSERT INTO inference.inference_logs (request_id, customer_id, \"timestamp\", status_code)"
                    + " VALUES (?, ?, ?, ?)", UUID.randomUUID(), customer, row[0], row[1]);
        }
        Response response = api.send(gateway.request("/internal/v1/usage/" + customer + "?month=" + month));
        assertEquals(200, response.status(), response.body());
        assertEquals(3, response.json().get("successful_requests").asLong());
        assertEquals(401, api.send(api.request("/internal/v1/usage/" + customer + "?month=" + month)).status());
    }

    @Test
    void requestOutcomesTellTheGatewayHowLoggedRequestsEnded() {
        UUID served = UUID.randomUUID();
        UUID refused = UUID.randomUUID();
        UUID notLogged = UUID.randomUUID();
        for (Object[] row : new Object[][] {{served, 200}, {refused, 400}}) {
            db.update("INSERT INTO inference.inference_logs (request_id, customer_id, \"timestamp\", status_code)"
                    + " VALUES (?, ?, now(), ?)", row[0], UUID.randomUUID(), row[1]);
        }
        String query = "{\"request_ids\": [\"" + served + "\", \"" + refused + "\", \"" + notLogged + "\"]}";

        Response response = gateway.post("/internal/v1/request-outcomes", query);

        assertEquals(200, response.status(), response.body());
        JsonNode statusCodes = response.json().get("status_codes");
        assertEquals(2, statusCodes.size(), response.body());
        assertEquals(200, statusCodes.get(served.toString()).asInt());
        assertEquals(400, statusCodes.get(refused.toString()).asInt());
        assertEquals(400, gateway.post("/internal/v1/request-outcomes", "{\"request_ids\": []}").status());
        assertEquals(401, api.post("/internal/v1/request-outcomes", query).status());
    }

    @ParameterizedTest
    @FieldSource("edges")
    void requestsEitherSideOfMidnightAreCountedInTheirOwnMonths(CalendarEdge edge) {
        UUID customer = UUID.randomUUID();
        String valid = body("image", b64(evalSet.scenes().get(0).imageBytes()), "instruction", "grab the green block");
        List<Instant> servedAt = List.of(edge.monthStart().minusMillis(1), edge.monthStart(), edge.now());
        List<UUID> requests = new ArrayList<>();
        for (Instant at : servedAt) {
            CLOCK.set(at);
            Response response = api.send(inference(valid).setHeader("X-Vla-Customer-Id", customer.toString()));
            assertEquals(200, response.status(), response.body());
            requests.add(UUID.fromString(response.json().get("request_id").asString()));
        }
        for (int i = 0; i < requests.size(); i++) {
            assertEquals(servedAt.get(i), ((Timestamp) awaitRow(requests.get(i)).get("timestamp")).toInstant());
            assertEquals(servedAt.get(i), db.queryForObject("SELECT served_at FROM inference.usage_outbox WHERE request_id = ?",
                    OffsetDateTime.class, requests.get(i)).toInstant(), "the billing month goes by served_at");
        }
        assertEquals(1, usageIn(customer, edge.month().minusMonths(1)));
        assertEquals(2, usageIn(customer, edge.month()));
    }

    private long usageIn(UUID customer, YearMonth month) {
        Response response = api.send(gateway.request("/internal/v1/usage/" + customer + "?month=" + month));
        assertEquals(200, response.status(), response.body());
        return response.json().get("successful_requests").asLong();
    }

    @Test
    void theGatewaysRequestIdIsKeptAndAnythingElseIsReplaced() {
        String valid = body("image", b64(evalSet.scenes().get(0).imageBytes()), "instruction", "grab the green block");
        UUID gatewayId = UUID.randomUUID();
        Response kept = api.send(inference(valid).header("X-Request-Id", gatewayId.toString()));
        assertEquals(gatewayId.toString(), kept.headers().firstValue("X-Request-Id").orElseThrow());
        assertEquals(gatewayId.toString(), kept.json().get("request_id").asString());
        assertEquals(200, awaitRow(gatewayId).get("status_code"));

        Response replaced = api.send(inference(valid).header("X-Request-Id", "abc; drop table"));
        String newId = replaced.headers().firstValue("X-Request-Id").orElseThrow();
        assertNotEquals("abc; drop table", newId);
        assertEquals(newId, replaced.json().get("request_id").asString());

        for (HttpRequest.Builder other : List.of(api.request("/v1/inference").GET(), gateway.request("/nothing").GET(),
                api.request("/actuator/health").GET())) {
            Response response = api.send(other.header("X-Request-Id", gatewayId.toString()));
            assertEquals(gatewayId.toString(), response.headers().firstValue("X-Request-Id").orElseThrow());
        }
    }

    @Test
    void healthAndMetricsNeedNoTokenAndCarryNoCustomerIds() {
        api.send(inference(body("image", b64(evalSet.scenes().get(0).imageBytes()), "instruction", "grab it")));
        assertError(api.send(inference(body("instruction", "no image"))), 400, "missing_image");
        Response health = api.send(api.request("/actuator/health").GET());
        assertEquals(200, health.status(), health.body());
        assertEquals("UP", health.json().get("status").asString());

        Response metrics = api.send(api.request("/actuator/prometheus").GET());
        assertEquals(200, metrics.status());
        assertThat(metrics.body()).contains(
                "vla_inference_requests_total{error_code=\"none\",model=\"tabletop-v1\",status=\"200\"}",
                "vla_inference_requests_total{error_code=\"missing_image\",model=\"tabletop-v1\",status=\"400\"}",
                "error_code=\"missing_image\",exception=\"none\",method=\"POST\"",
                "vla_inference_latency_seconds_bucket{model=\"tabletop-v1\",status=\"200\"",
                "vla_inference_stage_seconds_count{model=\"tabletop-v1\",stage=\"preprocess\"}",
                "vla_inference_stage_seconds_count{model=\"tabletop-v1\",stage=\"queue_wait\"}",
                "vla_inference_stage_seconds_count{model=\"tabletop-v1\",stage=\"forward\"}",
                "vla_inference_batch_size_count{model=\"tabletop-v1\"}",
                "vla_model_queue_depth{model=\"tabletop-v1\"}",
                "vla_request_log_queue_depth",
                "vla_request_log_rows_written_total");
        assertThat(metrics.body()).doesNotContain(Gateway.CUSTOMER.toString(), Gateway.API_KEY.toString())
                .as("no GPU series on a CPU model runner: absent, not zero").doesNotContain("vla_gpu_");
    }

    private HttpRequest.Builder inference(String body) {
        return gateway.jsonRequest("POST", "/v1/inference", body);
    }

    private double[] actionFor(String encodedImage, String instruction) {
        Response response = api.send(inference(body("image", encodedImage, "instruction", instruction)));
        assertEquals(200, response.status(), response.body());
        return doubles(response.json().at("/action/values"));
    }

    /** Checks the one error shape and returns the request id it names. */
    private static UUID assertError(Response response, int status, String code) {
        assertEquals(status, response.status(), response.body());
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        JsonNode error = response.json().get("error");
        assertEquals(code, error.get("code").asString(), response.body());
        assertThat(error.get("type").asString()).isNotBlank();
        assertThat(error.get("message").asString()).isNotBlank().doesNotContain("tools.jackson", "com.vla", "\tat ");
        String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
        assertEquals(requestId, error.get("request_id").asString());
        return UUID.fromString(requestId);
    }

    private Map<String, Object> awaitRow(UUID requestId) {
        String sql = """
                SELECT *, vector_dims(embedding) AS embedding_dims, vector_norm(embedding) AS embedding_norm
                FROM inference.inference_logs WHERE request_id = ?""";
        List<Map<String, Object>> rows = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> db.queryForList(sql, requestId), found -> !found.isEmpty());
        Map<String, Object> row = new HashMap<>(rows.get(0));
        row.computeIfPresent("action", (column, value) -> toDoubles((Array) value));
        return row;
    }

    private static double[] toDoubles(Array array) {
        try {
            return Arrays.stream((Double[]) array.getArray()).mapToDouble(Double::doubleValue).toArray();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
