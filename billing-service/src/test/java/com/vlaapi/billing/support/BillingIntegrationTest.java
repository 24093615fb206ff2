package com.vlaapi.billing.support;

import com.vlaapi.testsupport.clock.MutableClock;
import com.vlaapi.testsupport.http.ApiClient;
import com.vlaapi.testsupport.service.RunningServiceTest;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;

/**
 * billing-service as {@link RunningServiceTest} runs it, its database laid out like production
 * ({@link ProductionLayout}: the customer and inference schemas migrated by their own services'
 * migrations) and its clock one the test pins.
 */
public abstract class BillingIntegrationTest extends RunningServiceTest {

    /** The service's clock: the real time when the context starts, until a test pins or moves it. */
    @TestBean(methodName = "com.vlaapi.testsupport.clock.MutableClock#startingNow")
    private Clock serviceClock;

    @DynamicPropertySource
    static void useProductionLayout(DynamicPropertyRegistry registry) {
        useDatabase(ProductionLayout.createDatabase(), registry);
    }

    /** What billing-service takes to be "now" from here on. */
    protected void pinClock(Instant now) {
        ((MutableClock) serviceClock).set(now);
    }

    protected static JdbcTemplate db() {
        return database.jdbc();
    }

    /** A customer row as customer-service would store it. */
    protected static UUID createCustomer(String company, String tier, Instant createdAt) {
        UUID id = UUID.randomUUID();
        long quota = switch (tier) {
            case "free" -> 10_000;
            case "pro" -> 100_000;
            default -> 1_000_000;
        };
        db().update("""
                INSERT INTO customer.customers (customer_id, company_name, email, tier, monthly_quota,
                                                rate_limit_per_minute, created_at)
                VALUES (?, ?, ?, ?, ?, 600, ?)""", id, company, "billing-" + id + "@example.com", tier, quota,
                OffsetDateTime.ofInstant(createdAt, ZoneOffset.UTC));
        return id;
    }

    /**
     * A request-log row as inference-service writes it: what reports read, through its read model
     * {@code inference.request_log_v1}. Latencies and the safety score may be null, as on an error.
     * Returns the row's request id.
     */
    protected static UUID logRequest(UUID customerId, Instant at, int status, Double inferenceLatencyMs,
                                     Double totalLatencyMs, Double safetyScore) {
        UUID requestId = UUID.randomUUID();
        db().update("""
                INSERT INTO inference.inference_logs (request_id, customer_id, "timestamp", status_code,
                                                      inference_latency_ms, total_latency_ms, safety_score)
                VALUES (?, ?, ?, ?, ?, ?, ?)""", requestId, customerId, OffsetDateTime.ofInstant(at, ZoneOffset.UTC),
                status, inferenceLatencyMs, totalLatencyMs, safetyScore);
        return requestId;
    }

    /** A usage event as inference-service's relay sends it. */
    public record Event(UUID requestId, UUID customerId, Instant servedAt) {

        public Event(UUID customerId, Instant servedAt) {
            this(UUID.randomUUID(), customerId, servedAt);
        }

        String json() {
            return "{\"request_id\":\"" + requestId + "\",\"customer_id\":\"" + customerId
                    + "\",\"api_key_id\":null,\"served_at\":\"" + servedAt + "\",\"model\":\"tabletop-v1\"}";
        }
    }

    protected static String batch(List<Event> events) {
        StringJoiner body = new StringJoiner(",", "{\"events\":[", "]}");
        events.forEach(e -> body.add(e.json()));
        return body.toString();
    }

    /** Delivers events through the real endpoint in batches; returns how many billing said were new. */
    protected int deliver(List<Event> events, int batchSize) {
        int stored = 0;
        for (int from = 0; from < events.size(); from += batchSize) {
            ApiClient.Response response = internal.post("/internal/v1/usage-events",
                    batch(events.subList(from, Math.min(events.size(), from + batchSize))));
            if (response.status() != 200) {
                throw new AssertionError("usage ingestion answered " + response.status() + ": " + response.body());
            }
            stored += response.json().path("stored").asInt();
        }
        return stored;
    }

    /** {@code count} events for one customer, spread evenly over [from, to). */
    protected static List<Event> spread(UUID customerId, int count, Instant from, Instant to) {
        List<Event> events = new ArrayList<>(count);
        long span = to.toEpochMilli() - from.toEpochMilli();
        for (int i = 0; i < count; i++) {
            events.add(new Event(customerId, from.plusMillis(span * i / count)));
        }
        return events;
    }
}
