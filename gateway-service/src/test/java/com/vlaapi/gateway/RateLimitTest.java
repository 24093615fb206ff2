package com.vlaapi.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Limits and quotas with two gateway instances sharing the real Redis (own key prefix). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RateLimitTest {

    private static final StandIns standIns = new StandIns();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static ConfigurableApplicationContext secondGateway;

    @LocalServerPort
    int port;

    @Autowired
    StringRedisTemplate redis;

    // HTTP/1.1: the JDK client's h2c upgrade attempts can stall under many concurrent requests.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /**
     * Redis is healthy here, so these tests wait for its decisions however slow a busy test machine
     * makes them: a request that failed open would be decided by one instance's local view, and the
     * quota is exact only when Redis decides (failing open has RedisOutageTest).
     */
    private static final Map<String, String> PATIENT_WITH_REDIS = Map.of(
            "vla.gateway.limits.silent-redis-timeout", "2s",
            "vla.gateway.limits.max-decision-wait", "10s",
            "spring.data.redis.timeout", "10s");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        standIns.register(registry);
        PATIENT_WITH_REDIS.forEach((name, value) -> registry.add(name, () -> value));
    }

    @BeforeAll
    static void startSecondGateway() {
        secondGateway = standIns.startGateway(PATIENT_WITH_REDIS);
    }

    @AfterAll
    static void stop(@Autowired StringRedisTemplate redis) {
        secondGateway.close();
        standIns.close();
        standIns.deleteKeys(redis);
    }

    private int secondPort() {
        return ((WebServerApplicationContext) secondGateway).getWebServer().getPort();
    }

    private HttpResponse<String> infer(int gatewayPort, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + "/v1/inference"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> inferAsync(int gatewayPort, String key) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + "/v1/inference"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private long counter(UUID customer) {
        return standIns.usageCounted(redis, customer);
    }

    /** A cold JVM can miss the 100 ms Redis deadline and fail open; that path has its own test. */
    private void warmUp() throws Exception {
        String key = standIns.key(UUID.randomUUID(), "active", "pro", 100_000, 100_000);
        ExecutorService clients = Executors.newFixedThreadPool(16);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            int gateway = c % 2 == 0 ? port : secondPort();
            done.add(clients.submit(() -> {
                for (int i = 0; i < 20; i++) {
                    infer(gateway, key);
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        clients.shutdown();
    }

    @Test
    void quotaIsExactWith50ClientsOnTwoGatewayInstances() throws Exception {
        warmUp();
        UUID customer = UUID.randomUUID();
        String key = standIns.key(customer, "active", "free", 500, 1_000_000);
        int servedBefore = standIns.served.get();
        AtomicInteger ok = new AtomicInteger();
        ConcurrentMap<String, AtomicInteger> rejected = new ConcurrentHashMap<>();
        // 50 clients, each with one request in flight at a time, 14 requests each, alternating instances;
        // asynchronous, so the load generator itself does not starve the two gateways of CPU.
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int c = 0; c < 50; c++) {
            int gateway = c % 2 == 0 ? port : secondPort();
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            for (int i = 0; i < 14; i++) {
                chain = chain.thenCompose(v -> inferAsync(gateway, key)).thenAccept(response -> {
                    if (response.statusCode() == 200) {
                        ok.incrementAndGet();
                    } else {
                        String type = response.statusCode() + " "
                                + JSON.readTree(response.body()).get("error").get("type").asString();
                        rejected.computeIfAbsent(type, t -> new AtomicInteger()).incrementAndGet();
                    }
                });
            }
            clients.add(chain);
        }
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get();
        assertEquals(500, ok.get(), "successful requests");
        assertEquals(Set.of("429 quota_exceeded"), rejected.keySet(), "every other request: " + rejected);
        assertEquals(700 - 500, rejected.get("429 quota_exceeded").get());
        assertEquals(500, standIns.served.get() - servedBefore, "requests that reached inference");
        await().untilAsserted(() -> assertEquals(500, counter(customer), "the monthly counter"));
    }

    @Test
    void burstOverThePerMinuteLimitGetsRetryAfterAndWaitingThatLongSucceeds() throws Exception {
        String key = standIns.key(UUID.randomUUID(), "active", "free", 10_000, 60);
        HttpResponse<String> response = null;
        int allowed = 0;
        for (int i = 0; i < 80; i++) {
            response = infer(i % 2 == 0 ? port : secondPort(), key);
            if (response.statusCode() != 200) {
                break;
            }
            allowed++;
        }
        assertTrue(allowed >= 60 && allowed < 70, "a full minute's burst is allowed, then it stops: " + allowed);
        assertEquals(429, response.statusCode());
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertEquals("rate_limit_exceeded", error.get("type").asString());
        assertEquals("rate_limit_exceeded", error.get("code").asString());
        long retryAfter = Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 2, "Retry-After " + retryAfter);
        assertEquals("0", response.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
        Thread.sleep(retryAfter * 1000);
        assertEquals(200, infer(port, key).statusCode(), "waiting Retry-After seconds is enough");
    }

    @Test
    void whileTheBucketIsEmptyAGatewayRefusesWithoutAskingRedisAgain() throws Exception {
        UUID customer = UUID.randomUUID();
        String key = standIns.key(customer, "active", "free", 10_000, 2);   // a token every 30 s
        assertEquals(200, infer(port, key).statusCode());
        assertEquals(200, infer(port, key).statusCode());
        assertEquals(429, infer(port, key).statusCode(), "Redis refuses: the bucket is empty");
        // reserve.lua stamps the bucket with Redis's time on every decision, refusals included.
        String bucket = standIns.redisPrefix + "ratelimit:{" + customer + "}:bucket";
        Object decidedAt = redis.opsForHash().get(bucket, "ts");

        for (int i = 0; i < 10; i++) {
            HttpResponse<String> refused = infer(port, key);
            assertEquals(429, refused.statusCode());
            assertEquals("rate_limit_exceeded", JSON.readTree(refused.body()).get("error").get("code").asString());
            long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 30, "Retry-After " + retryAfter);
            assertEquals("0", refused.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
        }
        assertEquals(decidedAt, redis.opsForHash().get(bucket, "ts"), "the refusals were this gateway's own");

        long stampedAt = Long.parseLong(String.valueOf(decidedAt));
        await().until(() -> redisMillis() > stampedAt);   // so that a new decision stamps a different ts
        assertEquals(429, infer(secondPort(), key).statusCode(), "the other gateway has not been refused yet: it asks Redis");
        assertNotEquals(decidedAt, redis.opsForHash().get(bucket, "ts"), "the other gateway asked Redis");
    }

    @Test
    void everyResponseCarriesTheLimitFields() throws Exception {
        String key = standIns.key(UUID.randomUUID(), "active", "pro", 100_000, 600);
        HttpResponse<String> response = infer(port, key);
        assertEquals(200, response.statusCode());
        // The monthly window's length and reset on each calendar edge: QuotaCalendarTest.
        assertTrue(response.headers().firstValue("RateLimit-Policy").orElseThrow()
                .matches("\"burst\";q=600;w=60, \"monthly\";q=100000;w=\\d+"), response.headers().toString());
        assertTrue(response.headers().firstValue("RateLimit").orElseThrow()
                .matches("\"burst\";r=599;t=\\d+, \"monthly\";r=99999;t=\\d+"), response.headers().toString());
        assertEquals("600", response.headers().firstValue("x-ratelimit-limit-requests").orElseThrow());
        assertEquals("599", response.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
        assertTrue(response.headers().firstValue("x-ratelimit-reset-requests").orElseThrow().matches("\\d+s"));
    }

    @Test
    void quotaStopsFreeTiersButNotMeteredOnes() throws Exception {
        String free = standIns.key(UUID.randomUUID(), "active", "free", 2, 600);
        infer(port, free);
        infer(port, free);
        HttpResponse<String> over = infer(port, free);
        assertEquals(429, over.statusCode());
        JsonNode error = JSON.readTree(over.body()).get("error");
        assertEquals("quota_exceeded", error.get("type").asString());
        // When it resets, on each calendar edge: QuotaCalendarTest.

        UUID enterprise = UUID.randomUUID();
        String metered = standIns.key(enterprise, "active", "enterprise", 2, 600, true, null);
        for (int i = 0; i < 5; i++) {
            assertEquals(200, infer(port, metered).statusCode());
        }
        await().untilAsserted(() -> assertEquals(5, counter(enterprise), "usage beyond the quota is counted, to be billed"));
    }

    /** The gateway knows no tiers: customer-service's metered field alone decides, whatever the tier's name. */
    @Test
    void whetherTheQuotaStopsRequestsIsTheLookupsMeteredField() throws Exception {
        String notMetered = standIns.key(UUID.randomUUID(), "active", "enterprise", 2, 600, false, null);
        assertEquals(200, infer(port, notMetered).statusCode());
        assertEquals(200, infer(secondPort(), notMetered).statusCode());
        HttpResponse<String> over = infer(port, notMetered);
        assertEquals(429, over.statusCode());
        assertEquals("quota_exceeded", JSON.readTree(over.body()).get("error").get("code").asString());

        UUID customer = UUID.randomUUID();
        String metered = standIns.key(customer, "active", "free", 2, 600, true, null);
        for (int i = 0; i < 4; i++) {
            assertEquals(200, infer(i % 2 == 0 ? port : secondPort(), metered).statusCode());
        }
        await().untilAsserted(() -> assertEquals(4, counter(customer), "usage beyond the quota is counted, to be billed"));
    }

    /** Redis's clock, in the milliseconds reserve.lua stamps a bucket with. */
    private long redisMillis() {
        return redis.execute((RedisCallback<Long>) connection -> connection.serverCommands().time(TimeUnit.MILLISECONDS));
    }
}
