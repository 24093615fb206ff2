package com.vlaapi.billing.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.billing.support.BillingIntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The daily rollup stays equal to usage_events, counted directly, whatever writes to it:
 * redeliveries, concurrent batches over the same customers and days, and operators' SQL.
 */
class UsageDailyTest extends BillingIntegrationTest {

    private static final String COUNTED = """
            SELECT customer_id, (served_at AT TIME ZONE 'UTC')::date AS day, count(*) AS requests
            FROM billing.usage_events GROUP BY 1, 2 ORDER BY 1, 2""";
    private static final String ROLLED_UP = """
            SELECT customer_id, day, requests FROM billing.usage_daily WHERE requests > 0 ORDER BY 1, 2""";

    @BeforeEach
    void noUsage() {
        db().execute("TRUNCATE billing.usage_events");
    }

    @Test
    void concurrentBatchesOverTheSameDaysAndTheirRedeliveriesCountOnce() {
        List<UUID> customers = IntStream.range(0, 5).mapToObj(i -> UUID.randomUUID()).toList();
        Instant from = Instant.parse("2026-10-30T00:00:00Z");
        List<Event> events = new ArrayList<>();
        customers.forEach(customer -> events.addAll(spread(customer, 2_000, from, from.plus(Duration.ofDays(4)))));
        // Every batch touches every customer's every day, in its own order.
        Collections.shuffle(events, new Random(7));
        List<List<Event>> batches = new ArrayList<>();
        for (int i = 0; i < events.size(); i += 250) {
            batches.add(events.subList(i, Math.min(events.size(), i + 250)));
        }

        List<CompletableFuture<Integer>> senders = new ArrayList<>();
        for (int sender = 0; sender < 4; sender++) {
            List<List<Event>> own = batches.subList(sender * batches.size() / 4, (sender + 1) * batches.size() / 4);
            senders.add(CompletableFuture.supplyAsync(() -> own.stream().mapToInt(batch -> deliver(batch, 250)).sum()));
        }
        int stored = senders.stream().mapToInt(CompletableFuture::join).sum();
        int redelivered = deliver(events.subList(0, 3_000), 1_000);

        assertThat(stored).isEqualTo(10_000);
        assertThat(redelivered).isZero();
        assertThat(db().queryForObject("SELECT sum(requests) FROM billing.usage_daily", Long.class)).isEqualTo(10_000);
        assertThat(rolledUp()).isEqualTo(counted()).hasSize(20);
    }

    @Test
    void operatorsDeletingCorrectingOrTruncatingEventsKeepTheRollupExact() {
        UUID customer = UUID.randomUUID();
        deliver(spread(customer, 1_000, Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-11T00:00:00Z")),
                1_000);

        db().update("DELETE FROM billing.usage_events WHERE served_at < '2026-11-02T12:00:00Z'");
        assertThat(rolledUp()).isEqualTo(counted());
        db().update("UPDATE billing.usage_events SET served_at = served_at - interval '20 days'"
                + " WHERE served_at >= '2026-11-10T00:00:00Z'");
        db().update("UPDATE billing.usage_events SET customer_id = ? WHERE served_at >= '2026-11-09T00:00:00Z'",
                UUID.randomUUID());
        assertThat(rolledUp()).isEqualTo(counted());
        assertThat(db().queryForObject("SELECT sum(requests) FROM billing.usage_daily", Long.class)).isEqualTo(850);

        db().execute("TRUNCATE billing.usage_events");
        assertThat(db().queryForObject("SELECT count(*) FROM billing.usage_daily", Long.class)).isZero();
    }

    private static List<Map<String, Object>> counted() {
        return db().queryForList(COUNTED);
    }

    private static List<Map<String, Object>> rolledUp() {
        return db().queryForList(ROLLED_UP);
    }
}
