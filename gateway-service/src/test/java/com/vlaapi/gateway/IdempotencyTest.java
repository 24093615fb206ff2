package com.vlaapi.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** A client that retries with the same Idempotency-Key gets the first answer, served and counted once. */
class IdempotencyTest extends GatewayOnStandInsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String BODY = "{\"instruction\": \"pick up the red cube\"}";

    @Test
    void aRetryWithTheSameKeyGetsTheFirstAnswerWithoutBeingServedOrCountedAgain() throws Exception {
        UUID customer = UUID.randomUUID();
        String key = standIns.key(customer, "active", "pro", 100_000, 100_000);
        String idempotencyKey = UUID.randomUUID().toString();

        HttpResponse<String> first = infer(key, idempotencyKey, BODY);
        int servedAfterFirst = standIns.served.get();
        HttpResponse<String> retry = infer(key, idempotencyKey, BODY);

        assertEquals(200, first.statusCode(), first.body());
        assertEquals(200, retry.statusCode(), retry.body());
        assertEquals(first.body(), retry.body(), "the same action and request id");
        assertEquals("true", retry.headers().firstValue("Idempotent-Replayed").orElse(null));
        assertEquals(servedAfterFirst, standIns.served.get(), "the retry reached no inference server");
        await().untilAsserted(
                () -> assertEquals(1, standIns.usageCounted(redis, customer), "counted against the quota once"));

        HttpResponse<String> fresh = infer(key, UUID.randomUUID().toString(), BODY);
        assertNotEquals(JSON.readTree(first.body()).get("request_id").asString(),
                JSON.readTree(fresh.body()).get("request_id").asString(), "another key is another request");
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefused() throws Exception {
        String key = standIns.key(UUID.randomUUID(), "active", "pro", 100_000, 100_000);
        String idempotencyKey = UUID.randomUUID().toString();
        assertEquals(200, infer(key, idempotencyKey, BODY).statusCode());

        HttpResponse<String> other = infer(key, idempotencyKey, "{\"instruction\": \"put it down\"}");

        assertEquals(422, other.statusCode(), other.body());
        assertTrue(other.body().contains("\"idempotency_key_reused\""), other.body());
    }

    @Test
    void aRepeatWhileTheFirstIsStillServedIsToldToRetry() throws Exception {
        UUID customer = UUID.randomUUID();
        String key = standIns.key(customer, "active", "pro", 100_000, 100_000);
        String idempotencyKey = UUID.randomUUID().toString();
        // What the first request's gateway holds while it is served.
        claim(customer, idempotencyKey, sha256(BODY), UUID.randomUUID(), Instant.now());

        HttpResponse<String> repeat = infer(key, idempotencyKey, BODY);

        assertEquals(409, repeat.statusCode(), repeat.body());
        assertTrue(repeat.body().contains("\"idempotency_key_in_use\""), repeat.body());
        assertEquals("1", repeat.headers().firstValue("Retry-After").orElse(null));
    }

    @Test
    void aRepeatWithAnotherBodyWhileTheFirstIsServedIsRefused() throws Exception {
        UUID customer = UUID.randomUUID();
        String key = standIns.key(customer, "active", "pro", 100_000, 100_000);
        String idempotencyKey = UUID.randomUUID().toString();
        claim(customer, idempotencyKey, sha256("{\"instruction\": \"put it down\"}"), UUID.randomUUID(), Instant.now());

        HttpResponse<String> repeat = infer(key, idempotencyKey, BODY);

        assertEquals(422, repeat.statusCode(), repeat.body());
        assertTrue(repeat.body().contains("\"idempotency_key_reused\""), repeat.body());
    }

    /**
     * The gateway serving the first request died before it stored the answer: its claim stays. A
     * retry after the claim is abandoned is served under the first request's id, so the request log
     * and the bill (keyed by request id) hold it once, however many instances saw it.
     */
    @Test
    void aRepeatAfterTheFirstRequestsGatewayDiedIsServedUnderTheSameRequestId() throws Exception {
        UUID customer = UUID.randomUUID();
        String key = standIns.key(customer, "active", "pro", 100_000, 100_000);
        String idempotencyKey = UUID.randomUUID().toString();
        UUID firstRequest = UUID.randomUUID();
        claim(customer, idempotencyKey, sha256(BODY), firstRequest, Instant.now().minus(Duration.ofMinutes(2)));

        HttpResponse<String> retry = infer(key, idempotencyKey, BODY);
        HttpResponse<String> again = infer(key, idempotencyKey, BODY);

        assertEquals(200, retry.statusCode(), retry.body());
        assertEquals(firstRequest.toString(), JSON.readTree(retry.body()).get("request_id").asString(),
                "inference-service was sent the first request's id");
        assertEquals(firstRequest.toString(), retry.headers().firstValue("X-Request-Id").orElse(null));
        assertEquals(200, again.statusCode(), again.body());
        assertEquals("true", again.headers().firstValue("Idempotent-Replayed").orElse(null), "the retry's answer was stored");
        assertEquals(retry.body(), again.body());
    }

    /** What a gateway serving a request with this key holds in Redis (IdempotencyFilter's claim). */
    private void claim(UUID customer, String idempotencyKey, String bodyHash, UUID requestId, Instant at) throws Exception {
        redis.opsForValue().set(standIns.redisPrefix + "idempotency:{" + customer + "}:" + sha256(idempotencyKey),
                "claim:" + bodyHash + ":" + requestId + ":" + at.toEpochMilli());
    }

    @Test
    void anOverlongKeyIsABadRequest() throws Exception {
        String key = standIns.key(UUID.randomUUID(), "active", "pro", 100_000, 100_000);

        HttpResponse<String> response = infer(key, "k".repeat(256), BODY);

        assertEquals(400, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"invalid_idempotency_key\""), response.body());
    }

    private HttpResponse<String> infer(String key, String idempotencyKey, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/inference"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
