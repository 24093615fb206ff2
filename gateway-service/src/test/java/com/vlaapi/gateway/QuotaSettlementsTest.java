package com.vlaapi.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.vlaapi.gateway.apikey.ResolvedApiKey;
import com.vlaapi.gateway.ratelimit.LimitDecision.Outcome;
import com.vlaapi.gateway.ratelimit.QuotaSettlements;
import com.vlaapi.gateway.ratelimit.RedisLimiter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Quota settles go to Redis in batches, off the request path (QuotaSettlements), and the counters
 * stay exact. A Redis of the test's own, so that it can forget its scripts; each test a gateway of
 * its own, with a settle delay of an hour where a test must see what a flush did and did not send.
 */
class QuotaSettlementsTest {

    private static final StandIns standIns = new StandIns();
    private static final YearMonth MONTH = YearMonth.now(ZoneOffset.UTC);
    private static final Map<String, String> NO_FLUSH_BEFORE_FULL = Map.of("vla.gateway.limits.settle-delay", "1h");
    private static PrivateRedis redis;
    private static RedisClient client;
    private static RedisCommands<String, String> commands;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = new PrivateRedis();
        client = RedisClient.create("redis://127.0.0.1:" + redis.port());
        commands = client.connect().sync();
    }

    @AfterAll
    static void stop() {
        client.shutdown();
        redis.close();
        standIns.close();
    }

    private static ConfigurableApplicationContext gateway(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("vla.redis.port", String.valueOf(redis.port()));
        return standIns.startGateway(all);
    }

    private static ResolvedApiKey customer(long monthlyQuota) {
        return new ResolvedApiKey(UUID.randomUUID(), UUID.randomUUID(), "active", "active", "free", monthlyQuota,
                100_000, false, null);
    }

    private static Outcome reserve(ConfigurableApplicationContext gateway, ResolvedApiKey key, String requestId) {
        return gateway.getBean(RedisLimiter.class).reserve(key, requestId, MONTH).block().outcome();
    }

    /** Reserves a request of {@code key}, which must be allowed; returns its id. */
    private static String allowed(ConfigurableApplicationContext gateway, ResolvedApiKey key) {
        String requestId = UUID.randomUUID().toString();
        assertEquals(Outcome.ALLOWED, reserve(gateway, key, requestId));
        return requestId;
    }

    private static void settle(ConfigurableApplicationContext gateway, ResolvedApiKey key, String requestId,
                               boolean success) {
        gateway.getBean(QuotaSettlements.class).settle(key.customerId(), MONTH, requestId, success);
    }

    private static String counterKey(ResolvedApiKey key) {
        return standIns.redisPrefix + "usage:{" + key.customerId() + "}:" + MONTH;
    }

    private static long counter(ResolvedApiKey key) {
        String value = commands.get(counterKey(key));
        return value == null ? 0 : Long.parseLong(value);
    }

    private static long inFlight(ResolvedApiKey key) {
        return commands.zcard(counterKey(key) + ":in-flight");
    }

    @Test
    void aFullBatchOfSeveralCustomersIsSettledInOneFlushAndEveryCounterIsExact() {
        try (ConfigurableApplicationContext gateway = gateway(NO_FLUSH_BEFORE_FULL)) {
            List<ResolvedApiKey> customers = List.of(customer(1_000), customer(1_000), customer(1_000));
            Map<ResolvedApiKey, Long> successes = new HashMap<>();
            for (int i = 0; i < 64; i++) {
                ResolvedApiKey key = customers.get(i % 3);
                boolean success = i % 4 != 0;
                settle(gateway, key, allowed(gateway, key), success);
                if (success) {
                    successes.merge(key, 1L, Long::sum);
                }
                if (i == 62) {
                    for (ResolvedApiKey waiting : customers) {
                        assertEquals(0, counter(waiting), "a batch short of full waits for the delay");
                        assertEquals(21, inFlight(waiting), "and its slots still count against the quota");
                    }
                }
            }
            await("the 64th settle flushes all of them").untilAsserted(() -> {
                for (ResolvedApiKey key : customers) {
                    assertEquals(successes.get(key), counter(key), "the successes of the customer are usage");
                    assertEquals(0, inFlight(key), "every slot is settled, the failures' freed");
                }
            });
        }
    }

    @Test
    void aSlotCountsAgainstTheQuotaUntilItsSettleIsSentAndAFailureFreesIt() {
        try (ConfigurableApplicationContext gateway = gateway(NO_FLUSH_BEFORE_FULL)) {
            ResolvedApiKey key = customer(2);
            String failed = allowed(gateway, key);
            String served = allowed(gateway, key);
            settle(gateway, key, failed, false);
            settle(gateway, key, served, true);
            assertEquals(Outcome.QUOTA_EXCEEDED, reserve(gateway, key, UUID.randomUUID().toString()),
                    "settles not yet sent: both slots are still taken");

            // Another customer's settles fill the batch to 64, which sends it.
            ResolvedApiKey other = customer(1_000);
            for (int i = 0; i < 62; i++) {
                settle(gateway, other, allowed(gateway, other), true);
            }
            await().untilAsserted(() -> assertEquals(1, counter(key)));
            assertEquals(Outcome.ALLOWED, reserve(gateway, key, UUID.randomUUID().toString()), "the failure freed its slot");
            assertEquals(Outcome.QUOTA_EXCEEDED, reserve(gateway, key, UUID.randomUUID().toString()));
        }
    }

    @Test
    void aSettleAfterItsReservationExpiredCountsNothing() {
        try (ConfigurableApplicationContext gateway = gateway(Map.of())) {
            ResolvedApiKey key = customer(1_000);
            String late = allowed(gateway, key);
            String onTime = allowed(gateway, key);
            // What reserve.lua does with a reservation past reservation-ttl: removed, and handed to
            // AbandonedReservations, which counts it from the request log.
            commands.zrem(counterKey(key) + ":in-flight", late);
            settle(gateway, key, late, true);
            settle(gateway, key, onTime, true);
            // Settles are sent in order, so the late one has been too once the one after it counted.
            await().untilAsserted(() -> assertEquals(0, inFlight(key)));
            await().untilAsserted(() -> assertEquals(1, counter(key), "only the reservation still held counts"));
        }
    }

    @Test
    void aGatewayThatStopsSendsTheSettlesItHolds() {
        ResolvedApiKey one = customer(1_000);
        ResolvedApiKey two = customer(1_000);
        ConfigurableApplicationContext gateway = gateway(NO_FLUSH_BEFORE_FULL);
        for (int i = 0; i < 10; i++) {
            ResolvedApiKey key = i % 2 == 0 ? one : two;
            settle(gateway, key, allowed(gateway, key), i < 7);
        }
        assertEquals(0, counter(one) + counter(two), "nothing sent before the gateway stops");
        gateway.close();
        assertEquals(4, counter(one), "sent and answered before the stop returned");
        assertEquals(3, counter(two));
        assertEquals(0, inFlight(one) + inFlight(two));
    }

    @Test
    void aRedisThatForgotTheScriptIsSentItAgain() {
        try (ConfigurableApplicationContext gateway = gateway(Map.of())) {
            ResolvedApiKey key = customer(1_000);
            settle(gateway, key, allowed(gateway, key), true);
            await().untilAsserted(() -> assertEquals(1, counter(key)));
            // As after a restart of Redis without persistence; the connection stays open.
            commands.scriptFlush();
            settle(gateway, key, allowed(gateway, key), true);
            await().untilAsserted(() -> assertEquals(2, counter(key)));
        }
    }

}
