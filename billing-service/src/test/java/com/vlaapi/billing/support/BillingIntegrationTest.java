package com.vlaapi.billing.support;

import com.vlaapi.testsupport.clock.MutableClock;
import com.vlaapi.testsupport.database.TestDatabase;
import com.vlaapi.testsupport.http.ApiClient;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;
import org.springframework.test.context.TestExecutionListeners;
import org.springframework.test.context.bean.override.convention.TestBean;

/**
 * billing-service on a random port against its own fresh PostgreSQL database (with the customer
 * and inference schemas migrated by their own services' migrations). The context is never reused
 * by another test class; the database is dropped once the context is closed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@TestExecutionListeners(listeners = BillingIntegrationTest.DropDatabaseAfterContext.class,
        mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
public abstract class BillingIntegrationTest {

    protected static final String ADMIN_TOKEN = "test-admin-token-0123456789";
    protected static final String INTERNAL_TOKEN = "test-internal-token-0123456789";

    protected static TestDatabase database;

    /** The service's clock: the real time when the context starts, until a test pins or moves it. */
    @TestBean(methodName = "com.vlaapi.testsupport.clock.MutableClock#startingNow")
    private Clock serviceClock;

    @LocalServerPort
    private int port;

    /** Sends no credentials. */
    protected ApiClient api;
    /** Calls as an operator: the admin bearer token. */
    protected ApiClient admin;
    /** Calls as another service: the internal token. */
    protected ApiClient internal;

    @DynamicPropertySource
    static void useFreshDatabase(DynamicPropertyRegistry registry) {
        TestDatabase fresh = ProductionLayout.createDatabase();
        database = fresh;
        fresh.registerWith(registry);
        registry.add("vla.admin-token", () -> ADMIN_TOKEN);
        registry.add("vla.internal-token", () -> INTERNAL_TOKEN);
    }

    @BeforeEach
    void createClients() {
        api = ApiClient.onPort(port);
        admin = api.withHeader("Authorization", "Bearer " + ADMIN_TOKEN);
        internal = api.withHeader("X-Internal-Token", INTERNAL_TOKEN);
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

    static class DropDatabaseAfterContext implements TestExecutionListener, Ordered {

        /** "After" callbacks run in reverse order: this runs last, after the context closed its pool. */
        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }

        @Override
        public void afterTestClass(TestContext testContext) {
            if (database != null) {
                database.drop();
                database = null;
            }
        }
    }
}
