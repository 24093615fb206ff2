package com.vlaapi.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.testsupport.clock.CalendarEdge;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The monthly quota resets at the first instant of the UTC month and says so, on each calendar
 * edge: the gateway's clock is walked from the last moments of the month before, through the edge,
 * to the next month.
 */
class QuotaCalendarTest extends GatewayOnStandInsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final List<CalendarEdge> edges = CalendarEdge.ALL;

    @ParameterizedTest
    @FieldSource("edges")
    void quotaResetsAtTheFirstInstantOfTheUtcMonth(CalendarEdge edge) throws Exception {
        UUID customer = UUID.randomUUID();
        String key = standIns.key(customer, "active", "free", 2, 600);
        YearMonth previousMonth = edge.month().minusMonths(1);

        clock().set(edge.monthStart().minusMillis(1_500));
        assertEquals(200, infer(key).statusCode());
        assertEquals(200, infer(key).statusCode());
        HttpResponse<String> over = infer(key);
        assertQuotaExceeded(over, edge.monthStart(), 2);

        clock().set(edge.now());
        HttpResponse<String> reset = infer(key);
        assertEquals(200, reset.statusCode(), "a new month, a new quota: " + reset.body());
        long untilNextMonth = (long) Math.ceil(Duration.between(edge.now(), edge.nextMonthStart()).toMillis() / 1000.0);
        assertEquals("\"burst\";q=600;w=60, \"monthly\";q=2;w=" + edge.daysInMonth() * 86_400L,
                reset.headers().firstValue("RateLimit-Policy").orElseThrow());
        assertTrue(reset.headers().firstValue("RateLimit").orElseThrow().endsWith("\"monthly\";r=1;t=" + untilNextMonth),
                reset.headers().firstValue("RateLimit").orElseThrow());
        assertEquals(200, infer(key).statusCode());
        assertQuotaExceeded(infer(key), edge.nextMonthStart(), untilNextMonth);
        await().untilAsserted(() -> {
            assertEquals(2, counter(customer, previousMonth), "the month before keeps its own count");
            assertEquals(2, counter(customer, edge.month()), "this month's count starts from zero");
        });

        clock().set(edge.nextMonthStart());
        assertEquals(200, infer(key).statusCode(), "the next month starts with a fresh quota");
        await().untilAsserted(() -> assertEquals(1, counter(customer, edge.month().plusMonths(1))));
    }

    @ParameterizedTest
    @FieldSource("edges")
    void aKeyExpiresAtItsInstantByTheGatewaysClock(CalendarEdge edge) throws Exception {
        String key = standIns.key(UUID.randomUUID(), "active", "pro", 100_000, 600, edge.now());

        clock().set(edge.now().minusMillis(1));
        assertEquals(200, infer(key).statusCode());
        clock().set(edge.now());
        HttpResponse<String> expired = infer(key);
        assertEquals(401, expired.statusCode());
        assertEquals("expired_api_key", JSON.readTree(expired.body()).get("error").get("code").asString());
    }

    private void assertQuotaExceeded(HttpResponse<String> response, Instant resetsAt, long retryAfterSeconds) {
        assertEquals(429, response.statusCode(), response.body());
        String message = JSON.readTree(response.body()).get("error").get("message").asString();
        assertTrue(message.contains("resets at " + resetsAt + ","), message);
        assertEquals(Long.toString(retryAfterSeconds), response.headers().firstValue("Retry-After").orElseThrow());
    }

    private HttpResponse<String> infer(String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/inference"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private long counter(UUID customer, YearMonth month) {
        String value = redis.opsForValue().get(standIns.redisPrefix + "usage:{" + customer + "}:" + month);
        return value == null ? 0 : Long.parseLong(value);
    }
}
