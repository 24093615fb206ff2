package com.vlaapi.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
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

/** A Redis of the test's own is stopped mid-run: the gateway keeps serving, failing open quickly. */
class RedisOutageTest {

    private static final StandIns standIns = new StandIns();
    private static final Pattern FAIL_OPEN = Pattern.compile("vla_gateway_ratelimit_fail_open_total\\S* (\\d+)");
    private static final Pattern UNRECONCILED = Pattern.compile("(?m)^vla_gateway_usage_unreconciled\\S* ([0-9.]+)");
    private static Process redis;
    private static int redisPort;
    private static ConfigurableApplicationContext gateway;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            redisPort = socket.getLocalPort();
        }
        startRedis();
        gateway = standIns.startGateway(Map.of("vla.redis.port", String.valueOf(redisPort)));
    }

    private static void startRedis() throws Exception {
        redis = new ProcessBuilder("redis-server", "--port", String.valueOf(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        waitForPort(redisPort);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        redis.destroyForcibly();
        standIns.close();
    }

    private int port() {
        return ((WebServerApplicationContext) gateway).getWebServer().getPort();
    }

    private long timedInfer(String key) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/v1/inference"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return (System.nanoTime() - start) / 1_000_000;
    }

    private long failOpenCount() throws Exception {
        return metric(FAIL_OPEN);
    }

    private long metric(Pattern sample) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/actuator/prometheus"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = sample.matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void requestsKeepWorkingWithinTheUsualTimeWhileRedisIsDownAndNoUsageIsLost() throws Exception {
        UUID customer = UUID.randomUUID();
        String key = standIns.key(customer, "active", "pro", 100_000, 100_000);
        long normal = Long.MAX_VALUE;
        for (int i = 0; i < 30; i++) {
            normal = Math.min(normal, timedInfer(key));
        }
        long failOpenBefore = failOpenCount();
        redis.destroy();
        redis.waitFor();
        long worst = 0;
        for (int i = 0; i < 30; i++) {
            worst = Math.max(worst, timedInfer(key));
        }
        assertTrue(worst <= normal + 200, "slowest request during the outage took " + worst + " ms, normal " + normal + " ms");
        assertTrue(failOpenCount() >= failOpenBefore + 30, "every decision during the outage failed open");

        // Redis comes back empty (no persistence): the counter is rebuilt from the request log.
        startRedis();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        long counter = -1;
        int served = -1;
        StringBuilder history = new StringBuilder();
        while (System.nanoTime() < deadline) {
            timedInfer(key);
            Thread.sleep(500);
            counter = counterInRedis(customer);
            served = standIns.servedByCustomer.get(customer.toString()).get();
            history.append(' ').append(served).append('/').append(counter);
            if (counter == served) {
                break;
            }
        }
        assertEquals(served, counter, "after Redis returns, the monthly counter matches the request log (log/counter:"
                + history + ")");
    }

    @Test
    void aConnectedButSilentRedisFailsOpenWithinTheSilentTimeout() throws Exception {
        UUID customer = UUID.randomUUID();
        String key = standIns.key(customer, "active", "pro", 100_000, 100_000);
        long normal = Long.MAX_VALUE;
        for (int i = 0; i < 30; i++) {
            normal = Math.min(normal, timedInfer(key));
        }
        long failOpenBefore = failOpenCount();
        // SIGSTOP keeps the connection open while Redis answers nothing, like a hung server.
        signal(redis, "STOP");
        long worst = 0;
        try {
            for (int i = 0; i < 10; i++) {
                worst = Math.max(worst, timedInfer(key));
            }
        } finally {
            signal(redis, "CONT");
        }
        assertTrue(worst <= normal + 200, "slowest request while Redis was silent took " + worst + " ms, normal " + normal + " ms");
        assertTrue(failOpenCount() >= failOpenBefore + 10, "every decision while Redis was silent failed open");

        // Redis kept its data: the requests served meanwhile are added to the counter, and then
        // nothing is left waiting (a tally kept after reconciling would keep the request path busy).
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        StringBuilder history = new StringBuilder();
        while (System.nanoTime() < deadline) {
            timedInfer(key);
            Thread.sleep(500);
            long counter = counterInRedis(customer);
            int served = standIns.servedByCustomer.get(customer.toString()).get();
            long unreconciled = metric(UNRECONCILED);
            history.append(' ').append(served).append('/').append(counter).append('/').append(unreconciled);
            if (counter == served && unreconciled == 0) {
                return;
            }
        }
        fail("served/counter/unreconciled customer-months:" + history);
    }

    private static void signal(Process process, String signal) throws Exception {
        int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
        assertEquals(0, exit, "kill -" + signal + " redis-server");
    }

    private static long counterInRedis(UUID customer) {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + redisPort);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            // Every month's counter: the test must not depend on which month the gateway's clock said it was.
            return connection.sync().keys(standIns.redisPrefix + "usage:{" + customer + "}:????-??").stream()
                    .map(connection.sync()::get).filter(java.util.Objects::nonNull).mapToLong(Long::parseLong).sum();
        } finally {
            client.shutdown();
        }
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
