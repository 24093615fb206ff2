package com.vlaapi.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Slots leased ahead (ratelimit/QuotaLeases) on two gateways sharing the real Redis: a steady
 * customer's requests are served from leases under the slots' request ids, counted exactly, with
 * limit headers as if each was decided alone; near a hard quota the gateways stop leasing and the
 * quota holds to the request; slots not taken are given back.
 */
class QuotaLeasesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern MONTHLY_REMAINING = Pattern.compile("\"monthly\";r=(\\d+)");
    private static final StandIns standIns = new StandIns();
    /** Patient with Redis (RateLimitTest says why); slots given back after 1 s to keep the test short. */
    private static final Map<String, String> SETTINGS = Map.of(
            "vla.gateway.limits.silent-redis-timeout", "2s",
            "vla.gateway.limits.max-decision-wait", "10s",
            "spring.data.redis.timeout", "10s",
            "vla.gateway.limits.lease-size", "16",
            "vla.gateway.limits.lease-max-age", "1s");
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        first = standIns.startGateway(SETTINGS);
        second = standIns.startGateway(SETTINGS);
    }

    @AfterAll
    static void stop() {
        first.close();
        // The second gives back what it holds when it stops: settles that write nothing.
        standIns.deleteKeys(second.getBean(StringRedisTemplate.class));
        second.close();
        standIns.close();
    }

    @Test
    void aSteadyCustomerIsServedFromLeasesUnderTheSlotsRequestIdsAndCountedExactly() throws Exception {
        UUID customer = UUID.randomUUID();
        String key = standIns.key(customer, "active", "pro", 100_000, 100_000);
        double takenBefore = slots(first, "taken");
        Set<String> requestIds = new HashSet<>();
        long previousRemaining = -1;
        for (int i = 0; i < 40; i++) {
            HttpResponse<String> response = infer(first, key);
            assertEquals(200, response.statusCode(), response.body());
            String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
            assertEquals(requestId, JSON.readTree(response.body()).get("request_id").asString(),
                    "inference-service got the id the client got");
            assertTrue(requestIds.add(requestId), "a slot's id serves one request: " + requestId);
            long remaining = monthlyRemaining(response);
            if (previousRemaining >= 0) {
                assertEquals(previousRemaining - 1, remaining, "request " + i + ": the monthly quota left, one less");
            }
            previousRemaining = remaining;
        }
        double taken = slots(first, "taken") - takenBefore;
        assertTrue(taken >= 20, "most of a steady customer's requests take a leased slot: " + taken);

        StringRedisTemplate redis = first.getBean(StringRedisTemplate.class);
        await("the slots left over are given back and the served ones counted").atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> {
                    assertEquals(0, inFlight(redis, customer), "slots still reserved");
                    assertEquals(40, standIns.usageCounted(redis, customer), "the monthly counter");
                });
        assertTrue(slots(first, "given_back") > 0, "the last lease's unused slots were given back");
    }

    @Test
    void nearAHardQuotaTheGatewaysStopLeasingAndTheQuotaHoldsToTheRequest() throws Exception {
        UUID customer = UUID.randomUUID();
        // A lease of 16 is granted only while 3 x 16 slots stay free: early in this quota, not near its end.
        String key = standIns.key(customer, "active", "free", 70, 100_000);
        double takenBefore = slots(first, "taken") + slots(second, "taken");
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            statuses.add(infer(i % 2 == 0 ? first : second, key).statusCode());
        }
        assertEquals(List.of(200), statuses.subList(0, 70).stream().distinct().toList(), "the quota's 70: " + statuses);
        assertEquals(List.of(429), statuses.subList(70, 80).stream().distinct().toList(), "past it: " + statuses);
        assertTrue(slots(first, "taken") + slots(second, "taken") > takenBefore, "a lease was taken early on");
        StringRedisTemplate redis = first.getBean(StringRedisTemplate.class);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertEquals(70, standIns.usageCounted(redis, customer), "the monthly counter"));
    }

    private HttpResponse<String> infer(ConfigurableApplicationContext gateway, String key) throws Exception {
        int port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/inference"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long monthlyRemaining(HttpResponse<String> response) {
        String header = response.headers().firstValue("RateLimit").orElseThrow();
        Matcher matcher = MONTHLY_REMAINING.matcher(header);
        assertTrue(matcher.find(), header);
        return Long.parseLong(matcher.group(1));
    }

    private static double slots(ConfigurableApplicationContext gateway, String outcome) {
        return gateway.getBean(MeterRegistry.class).find("vla.gateway.ratelimit.lease.slots").tag("outcome", outcome)
                .counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static long inFlight(StringRedisTemplate redis, UUID customer) {
        Set<String> reservations = redis.keys(standIns.redisPrefix + "usage:{" + customer + "}:*:in-flight");
        return reservations == null ? 0 : reservations.stream().mapToLong(name -> redis.opsForZSet().size(name)).sum();
    }
}
