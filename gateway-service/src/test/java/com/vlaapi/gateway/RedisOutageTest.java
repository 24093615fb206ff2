package com.vlaapi.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import com.vlaapi.gateway.ratelimit.LimitsProperties;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Redis of the test's own is stopped, then hung, mid-run: the gateway keeps serving, failing
 * open for the reason at hand, and no usage is lost. The gateway would wait five minutes for
 * a decision while Redis keeps answering, so a request can only come back within the HTTP timeout
 * when the outage is recognised as such; how quickly is a timing claim for bench/.
 */
class RedisOutageTest {

    private static final StandIns standIns = new StandIns();
    private static final Pattern UNAVAILABLE =
            Pattern.compile("vla_gateway_ratelimit_fail_open_total\\{[^}]*reason=\"redis_unavailable\"[^}]*} ([0-9.]+)");
    private static final Pattern SILENT =
            Pattern.compile("vla_gateway_ratelimit_fail_open_total\\{[^}]*reason=\"redis_silent\"[^}]*} ([0-9.]+)");
    private static final Pattern UNRECONCILED = Pattern.compile("(?m)^vla_gateway_usage_unreconciled\\S* ([0-9.]+)");
    private static PrivateRedis redis;
    private static ConfigurableApplicationContext gateway;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        redis = new PrivateRedis();
        gateway = standIns.startGateway(Map.of("vla.redis.port", String.valueOf(redis.port()),
                "vla.gateway.limits.max-decision-wait", "5m", "spring.data.redis.timeout", "5m"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        redis.close();
        standIns.close();
    }

    private int port() {
        return ((WebServerApplicationContext) gateway).getWebServer().getPort();
    }

    private void infer(String key) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/v1/inference"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
    }

    /** Slots a gateway holds for a customer at most: half a lease left when the next one arrives. */
    private static int slotsHeldAtMost() {
        int leaseSize = gateway.getBean(LimitsProperties.class).leaseSize();
        return leaseSize + leaseSize / 2;
    }

    private long metric(Pattern sample) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + StandIns.managementPort(gateway) + "/actuator/prometheus"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = sample.matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void requestsKeepWorkingWhileRedisIsDownAndNoUsageIsLost() throws Exception {
        UUID customer = UUID.randomUUID();
        String key = standIns.key(customer, "active", "pro", 100_000, 100_000);
        for (int i = 0; i < 30; i++) {
            infer(key);
        }
        long unavailableBefore = metric(UNAVAILABLE);
        redis.stop();
        // The first may take slots leased before the outage (QuotaLeases): reserved while Redis was up.
        for (int i = 0; i < 30 + slotsHeldAtMost(); i++) {
            infer(key);
        }
        assertTrue(metric(UNAVAILABLE) >= unavailableBefore + 30,
                "every decision during the outage failed open because Redis was unavailable");

        // Redis comes back empty (no persistence): the counter is rebuilt from the request log.
        redis.start();
        StringBuilder history = new StringBuilder();
        await("the monthly counter matches the request log").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    long counter = counterInRedis(customer);
                    int served = standIns.servedByCustomer.get(customer.toString()).get();
                    history.append(' ').append(served).append('/').append(counter);
                    if (counter != served) {
                        // A request Redis decides starts the reconciliation. Compared on the next poll:
                        // its own settle reaches Redis a moment after its answer (QuotaSettlements).
                        infer(key);
                    }
                    assertEquals(served, counter, "log/counter:" + history);
                });
    }

    @Test
    void aConnectedButSilentRedisFailsOpenAsSilent() throws Exception {
        UUID customer = UUID.randomUUID();
        String key = standIns.key(customer, "active", "pro", 100_000, 100_000);
        for (int i = 0; i < 30; i++) {
            infer(key);
        }
        long silentBefore = metric(SILENT);
        // SIGSTOP keeps the connection open while Redis answers nothing, like a hung server.
        redis.pause();
        try {
            for (int i = 0; i < 10 + slotsHeldAtMost(); i++) {
                infer(key);
            }
        } finally {
            redis.resume();
        }
        assertTrue(metric(SILENT) >= silentBefore + 10, "every decision while Redis was silent failed open as silent");

        // Redis kept its data: the requests served meanwhile are added to the counter, and then
        // nothing is left waiting (a tally kept after reconciling would keep the request path busy).
        StringBuilder history = new StringBuilder();
        await("counter caught up and nothing left to reconcile").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    long counter = counterInRedis(customer);
                    int served = standIns.servedByCustomer.get(customer.toString()).get();
                    long unreconciled = metric(UNRECONCILED);
                    history.append(' ').append(served).append('/').append(counter).append('/').append(unreconciled);
                    if (counter != served || unreconciled != 0) {
                        // A request Redis decides starts the reconciliation. Compared on the next poll:
                        // its own settle reaches Redis a moment after its answer (QuotaSettlements).
                        infer(key);
                    }
                    assertTrue(counter == served && unreconciled == 0, "served/counter/unreconciled:" + history);
                });
    }


    private static long counterInRedis(UUID customer) {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + redis.port());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            // Every month's counter: the test must not depend on which month the gateway's clock said it was.
            return connection.sync().keys(standIns.redisPrefix + "usage:{" + customer + "}:????-??").stream()
                    .map(connection.sync()::get).filter(java.util.Objects::nonNull).mapToLong(Long::parseLong).sum();
        } finally {
            client.shutdown();
        }
    }

}
