package com.vlaapi.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.gateway.ratelimit.LimitsProperties;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * A session's observations are decided like routed requests when Redis goes away: served, failing
 * open, and counted once Redis is back (here it comes back empty, so the counter is rebuilt from
 * the request log). A Redis of the test's own, as in RedisOutageTest.
 */
class SessionRedisOutageTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final StandIns standIns = new StandIns();
    private static final ChunkUpstream upstream = new ChunkUpstream();
    private static PrivateRedis redis;
    private static ConfigurableApplicationContext gateway;

    @BeforeAll
    static void start() throws Exception {
        redis = new PrivateRedis();
        gateway = standIns.startGateway(Map.of("vla.redis.port", String.valueOf(redis.port()),
                "vla.inference.urls", upstream.url()));
    }


    @AfterAll
    static void stop() {
        gateway.close();
        redis.close();
        upstream.close();
        standIns.close();
    }

    @Test
    void observationsAreServedWhileRedisIsDownAndCountedWhenItIsBack() throws Exception {
        UUID customer = UUID.randomUUID();
        String key = standIns.key(customer, "active", "pro", 100_000, 100_000);
        int port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
        MeterRegistry meters = gateway.getBean(MeterRegistry.class);
        AtomicInteger id = new AtomicInteger();
        try (TestSocket session = TestSocket.open(port, "/v1/sessions", "Bearer " + key)) {
            session.nextText();
            for (int i = 0; i < 3; i++) {
                assertChunk(session, id.incrementAndGet());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> counterInRedis(customer) == 3);

            double failedOpenBefore = failedOpen(meters);
            redis.stop();
            // The first observations take slots reserved while Redis was up: the one reserved ahead
            // (SlotAhead), and those of a lease (QuotaLeases); each of the last three waited for a
            // slot reserved with Redis gone.
            // A gateway holds a lease and a half at most: the next is asked for when half is left.
            int leaseSize = gateway.getBean(LimitsProperties.class).leaseSize();
            for (int i = 0; i < 1 + leaseSize + leaseSize / 2 + 3; i++) {
                assertChunk(session, id.incrementAndGet());
            }
            assertTrue(failedOpen(meters) >= failedOpenBefore + 3, "decided by the local limiter");

            redis.start();
            StringBuilder history = new StringBuilder();
            await("the counter matches the request log").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                        long counter = counterInRedis(customer);
                        int served = upstream.servedByCustomer.get(customer.toString()).get();
                        history.append(' ').append(served).append('/').append(counter);
                        if (counter != served) {
                            // An observation Redis decides starts the reconciliation. Compared on the next
                            // poll: its own settle reaches Redis a moment after its chunk (QuotaSettlements).
                            assertChunk(session, id.incrementAndGet());
                        }
                        assertEquals(served, counter, "log/counter:" + history);
                    });
        }
    }

    private static void assertChunk(TestSocket session, int id) throws Exception {
        session.sendText("{\"type\": \"observation\", \"id\": " + id + ", \"instruction\": \"stack\", \"image\": \""
                + Base64.getEncoder().encodeToString(SessionsTest.IMAGE) + "\"}");
        String answer = session.nextText();
        assertEquals("chunk", JSON.readTree(answer).path("type").asString(), answer);
    }

    private static double failedOpen(MeterRegistry meters) {
        return meters.find("vla.gateway.ratelimit.fail.open").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static long counterInRedis(UUID customer) {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + redis.port());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().keys(standIns.redisPrefix + "usage:{" + customer + "}:????-??").stream()
                    .map(connection.sync()::get).filter(java.util.Objects::nonNull).mapToLong(Long::parseLong).sum();
        } finally {
            client.shutdown();
        }
    }
}
