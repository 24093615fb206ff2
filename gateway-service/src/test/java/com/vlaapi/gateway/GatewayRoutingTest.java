package com.vlaapi.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.servicecontract.apikey.ApiKeyHashes;
import com.vlaapi.testsupport.http.RawAnswer;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway against the real Redis (own key prefix), with two stand-in inference instances and a
 * stand-in customer-service key endpoint served by the JDK's HTTP server. The full fleet is
 * exercised by the end-to-end test; this one pins the gateway's own contract.
 */
class GatewayRoutingTest extends GatewayOnStandInsTest {

    private static final UUID CUSTOMER = UUID.randomUUID();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private List<HttpHeadersFilter> headerFilters;

    private String goodKey;
    private String revokedKey;

    @DynamicPropertySource
    static void reportLastUseOften(DynamicPropertyRegistry registry) {
        registry.add("vla.gateway.last-used-report-interval", () -> "200ms");
    }

    @BeforeEach
    void registerKeys() {
        goodKey = standIns.key(CUSTOMER, "active", "pro", 100_000, 100_000);
        revokedKey = standIns.key(CUSTOMER, "revoked", "pro", 100_000, 100_000);
    }

    private HttpResponse<String> post(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString("{\"instruction\": \"pick up the red cube\"}"))
                .header("Content-Type", "application/json");
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void authenticatedRequestReachesInferenceWithTrustedHeadersOnly() throws Exception {
        HttpResponse<String> response = post("/v1/inference", Map.of(
                "Authorization", "Bearer " + goodKey,
                "X-Vla-Customer-Id", UUID.randomUUID().toString(),
                "X-Internal-Token", "forged",
                "X-Vla-Api-Key-Id", "forged",
                "X-Request-Id", "forged",
                "X-Forwarded-For", "203.0.113.7",
                "Forwarded", "for=203.0.113.7"));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode seen = JSON.readTree(response.body());
        assertEquals(CUSTOMER.toString(), seen.get("customer").asString(), "spoofed customer id must be replaced");
        assertEquals(StandIns.INTERNAL_TOKEN, seen.get("internal_token").asString());
        assertEquals("", seen.get("authorization").asString(), "the API key must not travel further");
        assertEquals(36, seen.get("api_key_id").asString().length(), "spoofed key id must be replaced");
        assertEquals("", seen.get("x_forwarded_for").asString(), "a client must not say where it came from");
        assertEquals("", seen.get("forwarded").asString(), "a client must not say where it came from");
        assertEquals(List.of(seen.get("request_id").asString()), response.headers().allValues("X-Request-Id"),
                "exactly one X-Request-Id, the one sent downstream");
        assertEquals(36, seen.get("request_id").asString().length(), "the client's X-Request-Id must be replaced");
    }

    /** Spring Cloud Gateway's own header filters each copy every header; the gateway's two do it in one pass. */
    @Test
    void onlyTheGatewaysOwnHeaderFiltersRun() {
        assertEquals(Set.of("UpstreamRequestHeaders", "UpstreamResponseHeaders"),
                headerFilters.stream().map(filter -> filter.getClass().getSimpleName()).collect(Collectors.toSet()));
    }

    /**
     * A client can name headers in {@code Connection:}, which a proxy removes as hop-by-hop: the
     * trusted headers the gateway sets must survive that, since the client's connection options do
     * not apply to the gateway's own connection upstream. The JDK client refuses to send
     * {@code Connection}, so the request is written by hand.
     */
    @Test
    void trustedHeadersSurviveAClientNamingThemAsHopByHop() throws Exception {
        String body = "{\"instruction\": \"pick up the red cube\"}";
        String response;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("POST /v1/inference HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + goodKey + "\r\n"
                    + "Connection: close, X-Vla-Customer-Id, X-Request-Id, X-Internal-Token\r\n"
                    + "Keep-Alive: timeout=5\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.US_ASCII));
            response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        JsonNode seen = JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
        assertEquals(CUSTOMER.toString(), seen.get("customer").asString(), response);
        assertEquals(StandIns.INTERNAL_TOKEN, seen.get("internal_token").asString(), response);
        assertEquals(36, seen.get("request_id").asString().length(), response);
        assertEquals("", seen.get("keep_alive").asString(), "hop-by-hop headers stay on the client's connection");
    }

    /**
     * A keep-alive client's next request can reach the gateway before it has finished with the one
     * before: pipelined, as here, or sent the moment an answer arrives on a busy machine. Reactor
     * Netty 1.3.6 then stopped reading the connection after an answer written at once (a 404), and
     * the request after it waited for good: CI caught it in {@link #thePublicPortServesNoActuator}
     * (reactor-netty pull request 4347 and issue 4361; 1.3.8 has the fix).
     */
    @Test
    void requestsQueuedBehindAnImmediateAnswerAreAllAnswered() throws Exception {
        String body = "{\"instruction\": \"pick up the red cube\"}";
        String proxied = "POST /v1/inference HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + goodKey
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        String notFound = "GET /v1/nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        List<Integer> statuses = new ArrayList<>();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((proxied + notFound + notFound).getBytes(StandardCharsets.US_ASCII));
            InputStream answers = new BufferedInputStream(socket.getInputStream());
            for (int i = 0; i < 3; i++) {
                statuses.add(RawAnswer.readOne(answers).status());
            }
            socket.getOutputStream().write(notFound.getBytes(StandardCharsets.US_ASCII));
            statuses.add(RawAnswer.readOne(answers).status());
        } catch (SocketTimeoutException e) {
            throw new AssertionError("answered " + statuses + ", then nothing for 10 s", e);
        }
        assertEquals(List.of(200, 404, 404, 404), statuses);
    }

    /**
     * A refusal whose body was read to its end leaves the connection clean: the client's next
     * request on it (its key fixed, or its retry after a 429) is served without a new connection.
     */
    @Test
    void aRefusedRequestLeavesItsConnectionForTheNext() throws Exception {
        String body = "{\"instruction\": \"pick up the red cube\"}";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            for (String key : List.of("vla_live_" + "Q".repeat(40), goodKey)) {
                socket.getOutputStream().write(("POST /v1/inference HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: Bearer " + key + "\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                        .getBytes(StandardCharsets.US_ASCII));
            }
            InputStream answers = new BufferedInputStream(socket.getInputStream());
            RawAnswer refused = RawAnswer.readOne(answers);
            assertEquals(401, refused.status(), refused.body());
            assertTrue(refused.headers().firstValue("Connection").isEmpty(), refused.headers().map().toString());
            RawAnswer served = RawAnswer.readOne(answers);
            assertEquals(200, served.status(), served.body());
            assertTrue(served.body().contains(CUSTOMER.toString()), served.body());
        }
    }

    /** A body that does not arrive in full leaves bytes nobody will read: the refusal closes the connection. */
    @Test
    void aRefusalWhoseBodyStopsShortClosesItsConnection() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST /v1/inference HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer vla_live_" + "Q".repeat(40) + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"instruction\"")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream answers = new BufferedInputStream(socket.getInputStream());
            RawAnswer refused = RawAnswer.readOne(answers);
            assertEquals(401, refused.status(), refused.body());
            assertEquals("close", refused.headers().firstValue("Connection").orElse(null));
            assertEquals(-1, answers.read(), "the connection closed after the refusal");
        }
    }

    @Test
    void routedAndRefusedRequestsAreTimedForDashboards() throws Exception {
        post("/v1/inference", Map.of("Authorization", "Bearer " + goodKey));
        post("/v1/inference", Map.of("Authorization", "Bearer vla_live_" + "Q".repeat(40)));
        post("/v1/nowhere", Map.of("Authorization", "Bearer " + goodKey));
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("http_server_requests_seconds_count{")
                && line.contains("status=\"200\"") && line.contains("method=\"POST\"")
                && line.contains("outcome=\"SUCCESS\"") && line.contains("error_code=\"none\"")), metrics);
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("http_server_requests_seconds_count{")
                && line.contains("status=\"401\"") && line.contains("outcome=\"CLIENT_ERROR\"")
                && line.contains("error_code=\"invalid_api_key\"")), metrics);
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("http_server_requests_seconds_count{")
                && line.contains("status=\"404\"") && line.contains("uri=\"NOT_FOUND\"")), metrics);
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("http_server_requests_seconds_bucket{")
                && line.contains("status=\"200\"") && line.contains("le=\"0.005\"")),
                "the latency panels' fixed buckets: " + metrics);
    }

    @Test
    void thePublicPortServesNoActuator() throws Exception {
        for (String path : List.of("/actuator/prometheus", "/actuator/health", "/actuator")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, response.statusCode(), path + ": " + response.body());
        }
        // The health groups Kubernetes' probes call (deploy/k8s) too.
        for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                    + path)).build(), HttpResponse.BodyHandlers.ofString()).statusCode(), path);
        }
    }

    @Test
    void requestsAreSpreadOverEveryInferenceInstance() throws Exception {
        Set<String> instances = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = post("/v1/inference", Map.of("Authorization", "Bearer " + goodKey));
            instances.add(JSON.readTree(response.body()).get("instance").asString());
        }
        assertEquals(Set.of("a", "b"), instances);
    }

    @Test
    void resolvedKeysAreCachedInRedisAndInMemory() throws Exception {
        post("/v1/inference", Map.of("Authorization", "Bearer " + goodKey));
        int lookups = standIns.keyLookups.get();
        for (int i = 0; i < 5; i++) {
            post("/v1/inference", Map.of("Authorization", "Bearer " + goodKey));
        }
        assertEquals(lookups, standIns.keyLookups.get(), "cached keys must not ask customer-service again");
        String redisKey = standIns.redisPrefix + "apikey:" + ApiKeyHashes.sha256Hex(goodKey);
        // Written after the answer, off the request's path.
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.opsForValue().get(redisKey) != null);
        String cached = redis.opsForValue().get(redisKey);
        assertTrue(cached.contains(CUSTOMER.toString()));
        assertFalse(cached.contains(goodKey), "Redis holds the key's hash, never the key");
    }

    @Test
    void badKeysGet401WithTheErrorShapeAndARequestId() throws Exception {
        Map<String, Map<String, String>> cases = Map.of(
                "missing_api_key", Map.of(),
                "malformed_authorization", Map.of("Authorization", "Basic dXNlcjpwYXNz"),
                "malformed_api_key", Map.of("Authorization", "Bearer sk-123"),
                "invalid_api_key", Map.of("Authorization", "Bearer vla_live_" + "Q".repeat(40)),
                "revoked_api_key", Map.of("Authorization", "Bearer " + revokedKey));
        for (var c : cases.entrySet()) {
            HttpResponse<String> response = post("/v1/inference", c.getValue());
            assertEquals(401, response.statusCode(), c.getKey());
            JsonNode error = JSON.readTree(response.body()).get("error");
            assertEquals("authentication_error", error.get("type").asString());
            assertEquals(c.getKey(), error.get("code").asString());
            assertFalse(error.get("message").asString().isBlank());
            assertEquals(response.headers().firstValue("X-Request-Id").orElseThrow(), error.get("request_id").asString());
        }
    }

    @Test
    void aKeyStopsWorkingAtItsExpiryEvenWhileCached() throws Exception {
        String key = standIns.key(CUSTOMER, "active", "pro", 100_000, 100_000, clock().instant().plusSeconds(2));
        assertEquals(200, post("/v1/inference", Map.of("Authorization", "Bearer " + key)).statusCode());
        clock().advance(Duration.ofSeconds(2));
        HttpResponse<String> response = post("/v1/inference", Map.of("Authorization", "Bearer " + key));
        assertEquals(401, response.statusCode());
        assertEquals("expired_api_key", JSON.readTree(response.body()).get("error").get("code").asString());
    }

    @Test
    void lastUseIsReportedInBatchesNotPerRequest() throws Exception {
        String key = standIns.key(CUSTOMER, "active", "pro", 100_000, 100_000);
        long started = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            post("/v1/inference", Map.of("Authorization", "Bearer " + key));
        }
        // Reports go out every 200 ms: the requests' span bounds the rounds they can fall into
        // (one, or two if they straddle one, on an idle machine; more only on a very slow one).
        long rounds = Math.min(5, (System.nanoTime() - started) / 200_000_000L + 2);
        String keyId = standIns.keyIds.get(key).toString();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> standIns.lastUsedReports.stream().anyMatch(r -> r.contains(keyId)));
        // One more round for a second report, if there is one, to arrive.
        Thread.sleep(500);
        List<String> mentioning = standIns.lastUsedReports.stream().filter(r -> r.contains(keyId)).toList();
        assertTrue(mentioning.size() <= rounds, rounds + " rounds at most; reports: " + standIns.lastUsedReports);
        JsonNode use = JSON.readTree(mentioning.get(0)).get("last_used").get(0);
        assertEquals(clock().instant(), Instant.parse(use.get("at").asString()), "the gateway's time of the last use");
    }

    @Test
    void unknownPathsAndInternalEndpointsAreNotReachable() throws Exception {
        for (String path : new String[] {"/admin/v1/customers", "/internal/v1/api-keys/abc", "/v2/inference"}) {
            HttpResponse<String> response = post(path, Map.of("Authorization", "Bearer " + goodKey));
            assertEquals(404, response.statusCode(), path);
            assertEquals("not_found_error", JSON.readTree(response.body()).get("error").get("type").asString());
        }
    }
}
