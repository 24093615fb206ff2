package com.vlaapi.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The models' contract and the parity check ({@code /v1/models/**}) are routed with the API key
 * but unmetered (route metadata {@code metered: false}): no burst limit, no quota, no counter, no
 * idempotency record, while {@code /v1/inference} of the same key stays limited.
 */
class UnmeteredRoutesTest extends GatewayOnStandInsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> UNMETERED = List.of("/v1/models", "/v1/models/tabletop-v1");
    private static final String PARITY = "/v1/models/tabletop-v1/parity";

    /** Redis is healthy here: wait for its decisions, so the quota is Redis's, exact (failing open has RedisOutageTest). */
    @DynamicPropertySource
    static void patientWithRedis(DynamicPropertyRegistry registry) {
        registry.add("vla.gateway.limits.silent-redis-timeout", () -> "2s");
        registry.add("vla.gateway.limits.max-decision-wait", () -> "10s");
        registry.add("spring.data.redis.timeout", () -> "10s");
    }

    @Test
    void theContractIsAuthenticatedButNeitherLimitedNorCounted() throws Exception {
        UUID customer = UUID.randomUUID();
        String key = standIns.key(customer, "active", "free", 1, 1);

        for (int i = 0; i < 3; i++) {
            for (String path : UNMETERED) {
                assertForwarded(send(get(path).header("Authorization", "Bearer " + key)), customer);
            }
            assertForwarded(send(post(PARITY).header("Authorization", "Bearer " + key)), customer);
        }
        assertEquals(0, standIns.usageCounted(redis, customer), "the quota counter is untouched");
        assertTrue(redis.keys(standIns.redisPrefix + "*" + customer + "*").isEmpty(),
                "nothing of this customer's limits or usage is in Redis: " + redis.keys(standIns.redisPrefix + "*" + customer + "*"));

        HttpResponse<String> inference = send(post("/v1/inference").header("Authorization", "Bearer " + key));
        assertEquals(200, inference.statusCode(), "the one request of the month: " + inference.body());
        await().untilAsserted(() -> assertEquals(1, standIns.usageCounted(redis, customer)));
        HttpResponse<String> second = send(post("/v1/inference").header("Authorization", "Bearer " + key));
        assertEquals(429, second.statusCode(), second.body());

        assertForwarded(send(get("/v1/models").header("Authorization", "Bearer " + key)), customer);
    }

    @Test
    void withoutAValidKeyTheContractIsRefused() throws Exception {
        for (String path : UNMETERED) {
            HttpResponse<String> none = send(get(path));
            assertEquals(401, none.statusCode(), none.body());
            assertEquals("missing_api_key", JSON.readTree(none.body()).at("/error/code").asString());
        }
        String revoked = standIns.key(UUID.randomUUID(), "revoked", "pro", 100, 100);
        HttpResponse<String> refused = send(post(PARITY).header("Authorization", "Bearer " + revoked));
        assertEquals(401, refused.statusCode(), refused.body());
        assertEquals("revoked_api_key", JSON.readTree(refused.body()).at("/error/code").asString());
    }

    @Test
    void anIdempotencyKeyIsNotKeptForTheContract() throws Exception {
        String key = standIns.key(UUID.randomUUID(), "active", "pro", 100_000, 100_000);
        String idempotencyKey = UUID.randomUUID().toString();

        HttpResponse<String> first = send(post(PARITY).header("Authorization", "Bearer " + key)
                .header("Idempotency-Key", idempotencyKey));
        HttpResponse<String> again = send(post(PARITY).header("Authorization", "Bearer " + key)
                .header("Idempotency-Key", idempotencyKey));

        assertEquals(200, again.statusCode(), again.body());
        assertTrue(again.headers().firstValue("Idempotent-Replayed").isEmpty(), "answered again, not replayed");
        assertTrue(!JSON.readTree(first.body()).get("request_id").asString()
                .equals(JSON.readTree(again.body()).get("request_id").asString()), "two requests");
        assertTrue(redis.keys(standIns.redisPrefix + "idempotency:*").isEmpty());
    }

    private void assertForwarded(HttpResponse<String> response, UUID customer) {
        assertEquals(200, response.statusCode(), response.body());
        JsonNode seen = JSON.readTree(response.body());
        assertEquals(customer.toString(), seen.get("customer").asString());
        assertEquals(StandIns.INTERNAL_TOKEN, seen.get("internal_token").asString());
        assertTrue(response.headers().firstValue("RateLimit").isEmpty(), "no limit applies, none is told");
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
    }

    private HttpRequest.Builder post(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"frames\": []}"));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
