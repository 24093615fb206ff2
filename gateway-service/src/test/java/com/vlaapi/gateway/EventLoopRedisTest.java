package com.vlaapi.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.gateway.apikey.ResolvedApiKey;
import com.vlaapi.gateway.ratelimit.LimitDecision;
import com.vlaapi.gateway.ratelimit.LimitDecision.Outcome;
import com.vlaapi.gateway.ratelimit.RedisLimiter;
import io.lettuce.core.RedisClient;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.netty.resources.LoopResources;

/**
 * A limit decision asked for on a web server event loop is answered on that loop, by the loop's
 * own Redis connection (EventLoopRedisConnections), not on Lettuce's thread: no thread hand-off.
 * A Redis of the test's own, so that it can forget its scripts.
 */
class EventLoopRedisTest {

    private static final StandIns standIns = new StandIns();
    private static final YearMonth MONTH = YearMonth.now(ZoneOffset.UTC);
    private static Process redis;
    private static int redisPort;

    @BeforeAll
    static void startRedis() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            redisPort = socket.getLocalPort();
        }
        redis = new ProcessBuilder("redis-server", "--port", String.valueOf(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        waitForPort(redisPort);
    }

    @AfterAll
    static void stop() {
        redis.destroyForcibly();
        standIns.close();
    }

    private record Answer(LimitDecision decision, String thread) {
    }

    @Test
    void aDecisionAskedForOnAServerEventLoopIsAnsweredOnThatLoopAlsoAfterRedisForgotTheScript() throws Exception {
        try (ConfigurableApplicationContext gateway = standIns.startGateway(
                Map.of("vla.redis.port", String.valueOf(redisPort)))) {
            RedisLimiter limiter = gateway.getBean(RedisLimiter.class);
            ResolvedApiKey key = new ResolvedApiKey(UUID.randomUUID(), UUID.randomUUID(), "active", "active", "free",
                    1_000_000, 1_000_000, false, null);
            List<EventExecutor> loops = new ArrayList<>();
            gateway.getBean(ReactorResourceFactory.class).getLoopResources().onServer(LoopResources.DEFAULT_NATIVE)
                    .forEach(loops::add);
            assertTrue(loops.size() > 1, "the web server runs on several event loops");

            for (EventExecutor loop : loops) {
                String thread = loop.submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
                // The first decision on a loop opens its connection, and the shared connection answers it.
                await().atMost(Duration.ofSeconds(10)).until(() -> reserveOn(loop, limiter, key).thread(), thread::equals);
            }

            // As after a restart of Redis without persistence; the connections stay open.
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + redisPort);
            try {
                client.connect().sync().scriptFlush();
            } finally {
                client.shutdown();
            }
            for (EventExecutor loop : loops) {
                String thread = loop.submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
                Answer answer = reserveOn(loop, limiter, key);
                assertEquals(Outcome.ALLOWED, answer.decision().outcome());
                assertEquals(thread, answer.thread(), "answered on the loop that asked");
            }
        }
    }

    private static Answer reserveOn(EventExecutor loop, RedisLimiter limiter, ResolvedApiKey key) throws Exception {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        loop.execute(() -> limiter.reserve(key, UUID.randomUUID().toString(), MONTH).whenComplete((decision, failure) -> {
            if (failure == null) {
                answer.complete(new Answer(decision, Thread.currentThread().getName()));
            } else {
                answer.completeExceptionally(failure);
            }
        }));
        return answer.get(5, TimeUnit.SECONDS);
    }

    private static void waitForPort(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("redis-server did not start on port " + port);
    }
}
