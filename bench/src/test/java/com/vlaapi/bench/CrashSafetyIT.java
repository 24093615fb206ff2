package com.vlaapi.bench;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.vlaapi.bench.fleet.LocalFleet;
import com.vlaapi.referencepolicy.eval.EvalSet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Nothing answered is lost: each test puts a customer's traffic through two gateways, crashes one
 * part of the fleet under that load ({@code kill -9}, or a PostgreSQL restart), brings it back,
 * and then checks the books: every 200 a client received has its one request-log row and its one
 * usage event at billing, and the log, billing and the Redis counter agree. What the clients saw
 * is printed as a table (docs/reliability.md holds a run of it).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashSafetyIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int CLIENTS = 8;
    /** Answers before the crash, and again after the recovery, before the load stops. */
    private static final int ANSWERS_AROUND_THE_CRASH = 40;
    /**
     * Redis is healthy, so the gateways wait for its decisions (failing open has RedisOutageTest);
     * a dead gateway's reservations expire after 5 s instead of a minute, so that the test sees
     * them counted from the request log without waiting long.
     */
    private static final Map<String, String> GATEWAY_SETTINGS = Map.of(
            "VLA_GATEWAY_LIMITS_SILENT_REDIS_TIMEOUT", "2s",
            "VLA_GATEWAY_LIMITS_MAX_DECISION_WAIT", "10s",
            "SPRING_DATA_REDIS_TIMEOUT", "10s",
            "VLA_GATEWAY_LIMITS_RESERVATION_TTL", "5s");
    private static final List<String> TABLE = new ArrayList<>();

    private static LocalFleet fleet;
    private static List<URI> gateways;
    private static byte[] body;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = new LocalFleet(ROOT).configure("gateway-service", GATEWAY_SETTINGS);
        fleet.start();
        URI second = fleet.startExtra("gateway-2", "gateway-service", Map.of(
                "VLA_CUSTOMER_URL", fleet.url("customer-service", "").toString(),
                "VLA_INFERENCE_URLS", fleet.url("inference-service", "").toString(),
                "VLA_REDIS_PREFIX", fleet.redisPrefix));
        gateways = List.of(fleet.url("gateway-service", "/v1/inference"), second.resolve("/v1/inference"));
        EvalSet.Scene scene = EvalSet.read(ROOT.resolve("reference-policy/evalsets/tabletop-v1")).scenes().get(0);
        body = JSON.writeValueAsBytes(Map.of("image", Base64.getEncoder().encodeToString(scene.imageBytes()),
                "instruction", scene.instruction()));
    }

    @AfterAll
    static void stopFleet() throws Exception {
        System.out.println("| Crash | Clients saw | 200s | log rows (200) | usage events | Redis counter at the end of the load |");
        System.out.println("|-------|-------------|------|----------------|--------------|---------------|");
        TABLE.forEach(System.out::println);
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    @Order(1)
    void killingInferenceServiceLosesNoAnsweredRequest() throws Exception {
        crashUnderLoad("kill -9 inference-service", () -> {
            fleet.kill("inference-service");
            fleet.restart("inference-service");
        });
    }

    @Test
    @Order(2)
    void killingBillingServiceLosesNoAnsweredRequest() throws Exception {
        crashUnderLoad("kill -9 billing-service", () -> {
            fleet.kill("billing-service");
            fleet.restart("billing-service");
        });
    }

    @Test
    @Order(3)
    void killingCustomerServiceLosesNoAnsweredRequest() throws Exception {
        crashUnderLoad("kill -9 customer-service", () -> {
            fleet.kill("customer-service");
            fleet.restart("customer-service");
        });
    }

    @Test
    @Order(4)
    void killingOneOfTwoGatewaysLosesNoAnsweredRequest() throws Exception {
        crashUnderLoad("kill -9 gateway-service (one of two)", () -> {
            fleet.kill("gateway-service");
            fleet.restart("gateway-service");
        });
    }

    @Test
    @Order(5)
    void restartingPostgresqlLosesNoAnsweredRequest() throws Exception {
        crashUnderLoad("PostgreSQL restart", CrashSafetyIT::restartPostgresql);
    }

    private interface Crash {
        void run() throws Exception;
    }

    private void crashUnderLoad(String name, Crash crash) throws Exception {
        // Only crash safety is under test: the burst limit stays out of the way.
        FleetCustomer customer = FleetCustomer.create(fleet, name, "pro").withLimits(fleet, "{\"rate_limit_per_minute\": 100000}");
        UUID customerId = customer.id();
        Load load = new Load(customer.apiKey());
        try {
            await().atMost(Duration.ofMinutes(3)).until(() -> load.answered.size() >= ANSWERS_AROUND_THE_CRASH);
            crash.run();
            int before = load.answered.size();
            await().atMost(Duration.ofMinutes(3)).until(() -> load.answered.size() >= before + ANSWERS_AROUND_THE_CRASH);
        } finally {
            load.stop();
        }

        Set<UUID> answered = load.answered;
        // The log is written in batches and usage is relayed: wait until both hold every answer.
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            assertEquals(Set.of(), missing(answered, ids(
                    "SELECT request_id FROM inference.inference_logs WHERE customer_id = ? AND status_code = 200",
                    customerId)), "answered requests without a log row");
            assertEquals(Set.of(), missing(answered, ids("SELECT request_id FROM billing.usage_events WHERE customer_id = ?",
                    customerId)), "answered requests without a usage event");
        });
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertEquals(
                ids("SELECT request_id FROM inference.inference_logs WHERE customer_id = ? AND status_code = 200", customerId),
                ids("SELECT request_id FROM billing.usage_events WHERE customer_id = ?", customerId),
                "billing holds exactly the logged successes"));
        long logged = loggedIds(customerId).size();
        TABLE.add("| " + name + " | " + load.outcomes + " | " + answered.size() + " | " + logged + " | " + logged
                + " | " + redisCounter(customerId) + " |");
        // A reservation a dead gateway left is handed over when it has expired and the customer's
        // next request comes: keep probing until the counter has caught up (each probe counts too).
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            UUID probe = probe(customer.apiKey());
            await().atMost(Duration.ofSeconds(30)).until(() -> loggedIds(customerId).contains(probe));
            assertEquals(loggedIds(customerId).size(), redisCounter(customerId),
                    "the Redis counter counts every logged success once (" + load.outcomes + ")");
        });
    }

    private UUID probe(String key) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(gateways.get(1)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return UUID.fromString(JSON.readTree(answer.body()).get("request_id").asString());
    }

    private static Set<UUID> loggedIds(UUID customer) throws Exception {
        return ids("SELECT request_id FROM inference.inference_logs WHERE customer_id = ? AND status_code = 200",
                customer);
    }

    /** Clients that keep sending until stopped, alternating between the gateways, counting what they get. */
    private final class Load {

        final Set<UUID> answered = ConcurrentHashMap.newKeySet();
        final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        final Map<String, Integer> outcomes = new TreeMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        private final List<Future<?>> done = new ArrayList<>();

        Load(String key) {
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                done.add(clients.submit(() -> {
                    for (int i = 0; running.get(); i++) {
                        count(send(key, gateways.get((client + i) % gateways.size())));
                    }
                    return null;
                }));
            }
        }

        private String send(String key, URI gateway) throws InterruptedException {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(gateway).timeout(Duration.ofSeconds(60))
                        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    answered.add(UUID.fromString(JSON.readTree(response.body()).get("request_id").asString()));
                    return "200";
                }
                // As a well-behaved client would, rather than spinning while a service restarts.
                Thread.sleep(50);
                JsonNode error = JSON.readTree(response.body()).get("error");
                return response.statusCode() + " " + (error == null ? "?" : error.get("code").asString());
            } catch (IOException e) {
                // Connection refused or reset: the gateway this client called is down.
                Thread.sleep(50);
                return "no response";
            }
        }

        private void count(String outcome) {
            counts.computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet();
        }

        void stop() throws Exception {
            running.set(false);
            for (Future<?> f : done) {
                f.get();
            }
            clients.shutdown();
            counts.forEach((outcome, n) -> outcomes.put(outcome, n.get()));
        }
    }

    private static Set<UUID> missing(Set<UUID> expected, Set<UUID> present) {
        Set<UUID> missing = new HashSet<>(expected);
        missing.removeAll(present);
        return missing;
    }

    private static Set<UUID> ids(String query, UUID customer) throws Exception {
        try (Connection db = fleet.connect(); PreparedStatement select = db.prepareStatement(query)) {
            select.setObject(1, customer);
            Set<UUID> ids = new HashSet<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }

    private static long redisCounter(UUID customer) throws Exception {
        Process get = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "GET",
                fleet.redisPrefix + "usage:{" + customer + "}:" + YearMonth.now(fleet.clock)).start();
        String value = new String(get.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, get.waitFor());
        return value.isEmpty() ? 0 : Long.parseLong(value);
    }

    /** The cluster on port 5432, restarted as its administrator would (fast: open connections are cut). */
    private static void restartPostgresql() throws Exception {
        Process clusters = new ProcessBuilder("pg_lsclusters", "--no-header").start();
        String listing = new String(clusters.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, clusters.waitFor(), "pg_lsclusters: " + listing);
        String[] cluster = listing.lines().map(line -> line.trim().split("\\s+"))
                .filter(fields -> fields[2].equals("5432")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no PostgreSQL cluster on port 5432: " + listing));
        List<String> command = new ArrayList<>(List.of("pg_ctlcluster", "--skip-systemctl-redirect", cluster[0], cluster[1],
                "restart", "-m", "fast"));
        if (!"root".equals(System.getProperty("user.name"))) {
            command.addAll(0, List.of("sudo", "-n"));
        }
        Process restart = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(restart.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, restart.waitFor(), String.join(" ", command) + ": " + output);
    }
}
