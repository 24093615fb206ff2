package com.vlaapi.bench;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.bench.fleet.LocalFleet;
import com.vlaapi.testsupport.http.RawAnswer;
import com.vlaapi.testsupport.images.BadImages;
import com.vlaapi.testsupport.openapi.OpenApiDocument;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Real requests through a running fleet's gateway, each answer held to the committed OpenAPI
 * document (docs/openapi.json, {@link DocumentedAnswers}): a 200, and every error that can be
 * made to happen on demand. Not made here: 500 (a bug), 502 (an instance dying mid-request:
 * CrashSafetyIT), 504 (an inference over 30 s), 503 {@code overloaded} and
 * {@code request_log_unavailable} (ModelErrorHandlerTest, inference-service's request-log tests).
 * The gateway serves that same document at {@code /v1/openapi.json}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiContractIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int FAILED_AUTHENTICATIONS_PER_MINUTE = 3;
    /**
     * The test client is a trusted proxy, so each authentication test speaks for an address of its
     * own (X-Forwarded-For) and none uses up another's failed authentications; a short read timeout
     * makes the 408 quick.
     */
    private static final Map<String, String> GATEWAY_SETTINGS = Map.of(
            "VLA_GATEWAY_TRUSTED_PROXIES", "127.0.0.1",
            "VLA_GATEWAY_FAILED_AUTHENTICATIONS_PER_MINUTE", Integer.toString(FAILED_AUTHENTICATIONS_PER_MINUTE),
            "VLA_GATEWAY_READ_TIMEOUT", "3s");

    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    private static LocalFleet fleet;
    private static DocumentedAnswers documented;
    private static FleetCustomer pro;
    private static String image;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void startFleet() throws Exception {
        documented = new DocumentedAnswers();
        image = Base64.getEncoder().encodeToString(
                Files.readAllBytes(ROOT.resolve("reference-policy/evalsets/tabletop-v1/images/0001.png")));
        fleet = new LocalFleet(ROOT).configure("gateway-service", GATEWAY_SETTINGS);
        fleet.start();
        pro = FleetCustomer.create(fleet, "Contract Robotics", "pro");
    }

    @AfterAll
    static void stopFleet() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void theGatewayServesTheCommittedDocument() throws Exception {
        HttpResponse<byte[]> served = http.send(HttpRequest.newBuilder(fleet.url("gateway-service", "/v1/openapi.json"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(200, served.statusCode());
        assertArrayEquals(Files.readAllBytes(OpenApiDocument.committedFile()), served.body());
    }

    @Test
    void anInferenceIsThe200TheDocumentDescribes() throws Exception {
        HttpResponse<String> answer = infer(pro, body(image, "pick up the red cube"), Map.of());

        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode body = documented.assertInference(answer);
        assertEquals(answer.headers().firstValue("X-Request-Id").orElseThrow(), body.get("request_id").asString());
        for (String limit : List.of("RateLimit-Policy", "RateLimit", "x-ratelimit-limit-requests",
                "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests")) {
            assertTrue(answer.headers().firstValue(limit).isPresent(), "a served answer carries " + limit);
        }
    }

    @Test
    void everyBadRequestThatCanBeMadeIsADocumented400() throws Exception {
        byte[] png = Base64.getDecoder().decode(image);
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("invalid_json", "{\"image\": ");
        bodies.put("invalid_request_body", "[]");
        bodies.put("invalid_field_type", "{\"image\": 5, \"instruction\": \"pick up the red cube\"}");
        bodies.put("unknown_field", "{\"image\": \"" + image + "\", \"instruction\": \"go\", \"camera\": \"wrist\"}");
        bodies.put("missing_image", "{\"instruction\": \"pick up the red cube\"}");
        bodies.put("invalid_base64", body("not base64!", "pick up the red cube"));
        bodies.put("empty_image", body("", "pick up the red cube"));
        bodies.put("not_an_image", body(base64(BadImages.notAnImage()), "pick up the red cube"));
        bodies.put("unsupported_image_format", body(base64(BadImages.gif()), "pick up the red cube"));
        bodies.put("image_too_large", body(base64(BadImages.pngHeaderOnly(5000, 5000)), "pick up the red cube"));
        bodies.put("truncated_image", body(base64(BadImages.truncated(png)), "pick up the red cube"));
        bodies.put("empty_instruction", body(image, "   "));
        bodies.put("instruction_too_long", body(image, "a".repeat(513)));
        bodies.put("unknown_model", with(body(image, "go"), "model", "no-such-model"));
        bodies.put("unknown_unnorm_key", with(body(image, "go"), "unnorm_key", "no_such_robot"));
        for (Map.Entry<String, String> bad : bodies.entrySet()) {
            assertDocumentedError(infer(pro, bad.getValue(), Map.of()), 400, bad.getKey());
        }
        assertDocumentedError(infer(pro, body(image, "go"), Map.of("Idempotency-Key", "k".repeat(256))),
                400, "invalid_idempotency_key");
    }

    @Test
    void everyAuthenticationFailureIsDocumented() throws Exception {
        String body = body(image, "pick up the red cube");
        assertDocumentedError(send(inference(newAddress()).POST(ofString(body))), 401, "missing_api_key");
        assertDocumentedError(send(inference(newAddress()).header("Authorization", "Basic dXNlcjpwYXNz")
                .POST(ofString(body))), 401, "malformed_authorization");
        assertDocumentedError(send(inference(newAddress()).header("Authorization", "Bearer sk-not-ours")
                .POST(ofString(body))), 401, "malformed_api_key");
        assertDocumentedError(send(inference(newAddress()).header("Authorization", "Bearer vla_live_" + "x".repeat(32))
                .POST(ofString(body))), 401, "invalid_api_key");

        String scanner = newAddress();
        for (int i = 0; i < FAILED_AUTHENTICATIONS_PER_MINUTE; i++) {
            assertEquals(401, send(inference(scanner).POST(ofString(body))).statusCode());
        }
        assertDocumentedError(send(inference(scanner).POST(ofString(body))), 429, "too_many_failed_authentications");

        FleetCustomer revoked = FleetCustomer.create(fleet, "Contract Robotics", "free");
        admin("/admin/v1/customers/" + revoked.id() + "/api-keys/" + revoked.keyId() + "/revoke", "POST", "");
        awaitError(revoked, 401, "revoked_api_key");

        FleetCustomer expired = FleetCustomer.create(fleet, "Contract Robotics", "free");
        admin("/admin/v1/customers/" + expired.id() + "/api-keys/" + expired.keyId(), "PATCH",
                "{\"expires_in_seconds\": 1}");
        awaitError(expired, 401, "expired_api_key");

        FleetCustomer suspended = FleetCustomer.create(fleet, "Contract Robotics", "free");
        admin("/admin/v1/customers/" + suspended.id(), "PATCH", "{\"status\": \"suspended\"}");
        awaitError(suspended, 403, "customer_suspended");
    }

    @Test
    void theWrongRepresentationIsADocumentedError() throws Exception {
        String body = body(image, "pick up the red cube");
        assertDocumentedError(send(authenticated(pro).header("Content-Type", "text/plain").POST(ofString(body))),
                415, "unsupported_media_type");
        assertDocumentedError(send(authenticated(pro).header("Content-Type", "application/json")
                .header("Accept", "text/html").POST(ofString(body))), 406, "not_acceptable");
        byte[] tooLarge = new byte[12 * 1024 * 1024 + 64 * 1024];
        Arrays.fill(tooLarge, (byte) ' ');
        assertDocumentedError(send(authenticated(pro).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(tooLarge))), 413, "request_too_large");
    }

    @Test
    void otherPathsAndMethodsAnswerInTheOneErrorShape() throws Exception {
        HttpResponse<String> noRoute = send(HttpRequest.newBuilder(fleet.url("gateway-service", "/v1/inferences"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + pro.apiKey()).GET());
        assertEquals(404, noRoute.statusCode(), noRoute.body());
        assertEquals("route_not_found", documented.assertError(noRoute).at("/error/code").asString());

        HttpResponse<String> wrongMethod = send(authenticated(pro).GET());
        assertEquals(405, wrongMethod.statusCode(), wrongMethod.body());
        assertEquals("method_not_allowed", documented.assertError(wrongMethod).at("/error/code").asString());
    }

    @Test
    void anIdempotencyKeyReplaysTheFirstAnswerAndRefusesAnotherBody() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = body(image, "go to the purple tube");
        HttpResponse<String> first = infer(pro, body, Map.of("Idempotency-Key", key));
        assertEquals(200, first.statusCode(), first.body());

        HttpResponse<String> replayed = infer(pro, body, Map.of("Idempotency-Key", key));
        assertEquals(200, replayed.statusCode(), replayed.body());
        assertEquals("true", replayed.headers().firstValue("Idempotent-Replayed").orElse(null));
        assertEquals(documented.assertInference(first).get("request_id"),
                documented.assertInference(replayed).get("request_id"));

        assertDocumentedError(infer(pro, body(image, "pick up the red cube"), Map.of("Idempotency-Key", key)),
                422, "idempotency_key_reused");
    }

    /**
     * Two copies of one request with one key, sent together: one is served, the other finds it
     * running (409) or, if the first was already done, gets its answer replayed. A large image
     * keeps the first busy long enough that the 409 comes within a few tries.
     */
    @Test
    void aRepeatWhileTheFirstIsServedIsADocumented409() throws Exception {
        String body = body(base64(largeSmoothPng()), "pick up the red cube");
        await().atMost(Duration.ofMinutes(2)).until(() -> {
            Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
            CompletableFuture<HttpResponse<String>> first = inferAsync(pro, body, key);
            CompletableFuture<HttpResponse<String>> second = inferAsync(pro, body, key);
            boolean conflict = false;
            for (HttpResponse<String> answer : List.of(first.get(), second.get())) {
                if (answer.statusCode() == 409) {
                    assertDocumentedError(answer, 409, "idempotency_key_in_use");
                    conflict = true;
                } else {
                    assertEquals(200, answer.statusCode(), answer.body());
                    documented.assertInference(answer);
                }
            }
            return conflict;
        });
    }

    @Test
    void theBurstLimitAndTheMonthlyQuotaAreDocumented429s() throws Exception {
        FleetCustomer bursty = FleetCustomer.create(fleet, "Contract Robotics", "pro");
        admin("/admin/v1/customers/" + bursty.id(), "PATCH", "{\"rate_limit_per_minute\": 1}");
        awaitError(bursty, 429, "rate_limit_exceeded");

        FleetCustomer spent = FleetCustomer.create(fleet, "Contract Robotics", "pro");
        admin("/admin/v1/customers/" + spent.id(), "PATCH", "{\"monthly_quota\": 1}");
        awaitError(spent, 429, "quota_exceeded");
    }

    /** The body stops arriving: after the read timeout the gateway answers 408 and closes the connection. */
    @Test
    void aStalledBodyIsADocumented408() throws Exception {
        String head = "POST /v1/inference HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + pro.apiKey()
                + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n"
                // Read whole at the gateway (to hash it), where the timeout is answered.
                + "Idempotency-Key: " + UUID.randomUUID() + "\r\n\r\n{\"image\": \"";
        int port = fleet.url("gateway-service", "").getPort();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            RawAnswer answer = RawAnswer.read(socket.getInputStream());
            assertEquals(408, answer.status(), answer.toString());
            JsonNode body = documented.assertInference(answer.status(), answer.headers(), answer.body());
            assertEquals("request_timeout", body.at("/error/code").asString());
            assertEquals(answer.headers().firstValue("X-Request-Id").orElseThrow(), body.at("/error/request_id").asString());
        }
    }

    @Test
    void theSessionEndpointsAnswerTheirUpgradesAsTheDocumentDescribes() throws Exception {
        for (String path : List.of("/v1/sessions", "/v1/openpi")) {
            assertSessionAnswer(path, upgrade(path, pro.apiKey()), 101, null);
            assertSessionAnswer(path, upgrade(path, "vla_live_" + "x".repeat(32)), 401, "invalid_api_key");
            assertSessionAnswer(path, upgrade(path + "?model=no-such-model", pro.apiKey()), 404, "unknown_model");
            HttpResponse<String> notAnUpgrade = send(HttpRequest.newBuilder(fleet.url("gateway-service", path))
                    .timeout(Duration.ofSeconds(30)).header("X-Forwarded-For", newAddress())
                    .header("Authorization", "Bearer " + pro.apiKey()).GET());
            assertEquals(426, notAnUpgrade.statusCode(), notAnUpgrade.body());
            assertEquals("upgrade_required", documented.assertAnswer(path, "get", notAnUpgrade).at("/error/code").asString());
        }
        assertSessionAnswer("/v1/sessions", upgrade("/v1/sessions?format=xml", pro.apiKey()), 400, "invalid_field_value");
    }

    private static void assertSessionAnswer(String path, RawAnswer answer, int status, String code) {
        assertEquals(status, answer.status(), answer.toString());
        JsonNode body = documented.assertAnswer(path, "get", answer);
        if (code != null) {
            assertEquals(code, body.at("/error/code").asString(), answer.body());
        }
    }

    /** A WebSocket upgrade request (HttpClient cannot send one) from an address of its own; the answer's head and body. */
    private static RawAnswer upgrade(String pathAndQuery, String key) throws Exception {
        int port = fleet.url("gateway-service", "").getPort();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Authorization: Bearer " + key + "\r\nX-Forwarded-For: " + newAddress() + "\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return RawAnswer.readOne(socket.getInputStream());
        }
    }

    /** Last: no inference instance is left to serve. */
    @Test
    @Order(Integer.MAX_VALUE)
    void withNoInferenceInstanceTheAnswerIsADocumented503() throws Exception {
        fleet.kill("inference-service");

        HttpResponse<String> answer = infer(pro, body(image, "pick up the red cube"), Map.of());

        assertDocumentedError(answer, 503, "upstream_unavailable");
    }

    @Test
    void theModelsContractsAndTheParityCheckAreTheAnswersTheDocumentDescribes() throws Exception {
        HttpResponse<String> models = send(onGateway("/v1/models").GET());
        assertEquals(200, models.statusCode(), models.body());
        documented.assertAnswer("/v1/models", "get", models);

        HttpResponse<String> contract = send(onGateway("/v1/models/tabletop-v1").GET());
        assertEquals(200, contract.statusCode(), contract.body());
        documented.assertAnswer("/v1/models/{id}", "get", contract);
        HttpResponse<String> unchanged = send(onGateway("/v1/models/tabletop-v1")
                .header("If-None-Match", contract.headers().firstValue("ETag").orElseThrow()).GET());
        assertEquals(304, unchanged.statusCode(), unchanged.body());
        documented.assertAnswer("/v1/models/{id}", "get", unchanged);
        HttpResponse<String> unknown = send(onGateway("/v1/models/tabletop-v0").GET());
        assertEquals(404, unknown.statusCode(), unknown.body());
        documented.assertAnswer("/v1/models/{id}", "get", unknown);

        String frames = "{\"frames\": [{\"image\": \"" + image + "\", \"instruction\": \"go to the purple tube\","
                + " \"action\": [0, 0, 0, 0, 0, 0, 0]}]}";
        HttpResponse<String> parity = send(onGateway("/v1/models/tabletop-v1/parity")
                .header("Content-Type", "application/json").POST(ofString(frames)));
        assertEquals(200, parity.statusCode(), parity.body());
        documented.assertAnswer("/v1/models/{id}/parity", "post", parity);
        HttpResponse<String> invalid = send(onGateway("/v1/models/tabletop-v1/parity")
                .header("Content-Type", "application/json").POST(ofString("{\"frames\": []}")));
        assertEquals(400, invalid.statusCode(), invalid.body());
        documented.assertAnswer("/v1/models/{id}/parity", "post", invalid);
    }

    private HttpRequest.Builder onGateway(String path) {
        return HttpRequest.newBuilder(fleet.url("gateway-service", path)).timeout(Duration.ofSeconds(60))
                .header("X-Forwarded-For", newAddress()).header("Authorization", "Bearer " + pro.apiKey());
    }

    private void awaitError(FleetCustomer customer, int status, String code) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            HttpResponse<String> answer = infer(customer, body(image, "pick up the red cube"), Map.of());
            assertEquals(status, answer.statusCode(), answer.body());
            assertDocumentedError(answer, status, code);
        });
    }

    private static void assertDocumentedError(HttpResponse<String> answer, int status, String code) {
        assertEquals(status, answer.statusCode(), answer.body());
        JsonNode body = documented.assertInference(answer);
        assertEquals(code, body.at("/error/code").asString(), answer.body());
        assertEquals(answer.headers().firstValue("X-Request-Id").orElseThrow(), body.at("/error/request_id").asString());
    }

    private HttpResponse<String> infer(FleetCustomer customer, String body, Map<String, String> headers) throws Exception {
        return inferAsync(customer, body, headers).get();
    }

    private CompletableFuture<HttpResponse<String>> inferAsync(FleetCustomer customer, String body,
                                                               Map<String, String> headers) {
        HttpRequest.Builder request = authenticated(customer).header("Content-Type", "application/json")
                .POST(ofString(body));
        headers.forEach(request::header);
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpRequest.Builder authenticated(FleetCustomer customer) {
        return inference(newAddress()).header("Authorization", "Bearer " + customer.apiKey());
    }

    /** {@code POST /v1/inference} on behalf of a client at {@code address}. */
    private static HttpRequest.Builder inference(String address) {
        return HttpRequest.newBuilder(fleet.url("gateway-service", "/v1/inference")).timeout(Duration.ofSeconds(60))
                .header("X-Forwarded-For", address);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }


    private static String admin(String path, String method, String body) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        fleet.url("customer-service", path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + fleet.adminToken).header("Content-Type", "application/json")
                .method(method, ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(answer.statusCode() / 100 == 2, method + " " + path + ": " + answer.statusCode() + " " + answer.body());
        return answer.body();
    }

    /** A client address no other request used: of IPv6's documentation prefix (RFC 3849). */
    private static String newAddress() {
        return "2001:db8::" + Integer.toHexString(ADDRESSES.incrementAndGet());
    }

    private static String body(String image, String instruction) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("image", image);
        body.put("instruction", instruction);
        return body.toString();
    }

    private static String with(String body, String field, String value) {
        ObjectNode node = (ObjectNode) JSON.readTree(body);
        node.put(field, value);
        return node.toString();
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static HttpRequest.BodyPublisher ofString(String body) {
        return HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
    }

    /** 4096 x 4096, the largest allowed: slow to decode, small to send. */
    private static byte[] largeSmoothPng() throws Exception {
        BufferedImage picture = new BufferedImage(4096, 4096, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4096; y++) {
            for (int x = 0; x < 4096; x++) {
                picture.setRGB(x, y, (x / 16) << 16 | (y / 16) << 8);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(picture, "png", png);
        return png.toByteArray();
    }
}
