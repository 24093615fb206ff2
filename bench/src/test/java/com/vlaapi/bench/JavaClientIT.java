package com.vlaapi.bench;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.bench.fleet.LocalFleet;
import com.vlaapi.client.ActOptions;
import com.vlaapi.client.ActionResult;
import com.vlaapi.client.AuthenticationException;
import com.vlaapi.client.InvalidRequestException;
import com.vlaapi.client.RateLimitException;
import com.vlaapi.client.VlaClient;
import com.vlaapi.client.VlaException;
import com.vlaapi.client.VlaTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Java client (clients/java) and the Java examples (examples/java) against a real fleet:
 * actions, the typed errors the gateway really sends, a real 429 waited out, a killed inference
 * instance retried through and billed once, a timeout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JavaClientIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path IMAGE = ROOT.resolve("reference-policy/evalsets/tabletop-v1/images/0001.png");
    private static final String INSTRUCTION = "go to the purple tube";
    private static final List<String> ACTION_NAMES = List.of("dx", "dy", "dz", "droll", "dpitch", "dyaw", "gripper");

    private static LocalFleet fleet;
    private static String gateway;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = new LocalFleet(ROOT);
        fleet.start();
        gateway = fleet.url("gateway-service", "").toString();
    }

    @AfterAll
    static void stopFleet() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    @Order(1)
    void actReturnsTheSameActionForAFileItsBytesAndTheDecodedImage() throws Exception {
        VlaClient client = client(FleetCustomer.create(fleet, "Java Client Robotics", "pro").apiKey()).build();

        ActionResult fromFile = client.act(IMAGE, INSTRUCTION);
        assertEquals(7, fromFile.values().size());
        assertEquals(ACTION_NAMES, fromFile.action().names());
        assertEquals("tabletop_sim", fromFile.action().unnormKey());
        assertEquals("tabletop-v1", fromFile.model());
        UUID.fromString(fromFile.requestId());
        assertEquals(1, fromFile.attempts());
        assertFalse(fromFile.replayed());
        // The pro plan's limits, as the answer's headers report them.
        assertEquals(600, fromFile.rateLimit().burst().orElseThrow().limit());
        assertTrue(fromFile.rateLimit().burst().orElseThrow().remaining() < 600);
        assertEquals(100_000, fromFile.rateLimit().monthly().orElseThrow().limit());

        assertEquals(fromFile.values(), client.act(Files.readAllBytes(IMAGE), INSTRUCTION).values());
        assertEquals(fromFile.values(), client.act(ImageIO.read(IMAGE.toFile()), INSTRUCTION).values(),
                "a BufferedImage is sent as a lossless PNG of the same pixels");
    }

    @Test
    @Order(2)
    void optionsReachTheApiAndAnIdempotencyKeyReplaysTheFirstAnswer() throws Exception {
        VlaClient client = client(FleetCustomer.create(fleet, "Java Options Robotics", "pro").apiKey()).build();
        List<Double> metres = client.act(IMAGE, INSTRUCTION).values();
        ActionResult centimetres = client.act(IMAGE, INSTRUCTION, ActOptions.defaults().unnormKey("tabletop_sim_cm").model("tabletop-v1"));
        assertEquals("tabletop_sim_cm", centimetres.action().unnormKey());
        assertEquals(100 * metres.get(0), centimetres.values().get(0), 1e-4, "dx in centimetres");
        assertEquals(100 * metres.get(1), centimetres.values().get(1), 1e-4, "dy in centimetres");

        ActOptions keyed = ActOptions.defaults().idempotencyKey(UUID.randomUUID().toString());
        ActionResult first = client.act(IMAGE, INSTRUCTION, keyed);
        ActionResult again = client.act(IMAGE, INSTRUCTION, keyed);
        assertFalse(first.replayed());
        assertTrue(again.replayed());
        assertEquals(first.requestId(), again.requestId());
    }

    @Test
    @Order(3)
    void theGatewaysErrorsAreTypedExceptions() throws Exception {
        FleetCustomer customer = FleetCustomer.create(fleet, "Java Errors Robotics", "pro");
        VlaClient client = client(customer.apiKey()).build();

        InvalidRequestException notAnImage = assertThrows(InvalidRequestException.class,
                () -> client.act("not an image".getBytes(StandardCharsets.UTF_8), INSTRUCTION));
        assertError(notAnImage, 400, "invalid_request_error", "not_an_image");

        AuthenticationException unknownKey = assertThrows(AuthenticationException.class,
                () -> client("vla_live_" + "x".repeat(32)).build().act(IMAGE, INSTRUCTION));
        assertError(unknownKey, 401, "authentication_error", "invalid_api_key");

        // Over the gateway's 12 MB body cap once base64-encoded (10 MiB is 14 MB of base64).
        InvalidRequestException tooLarge = assertThrows(InvalidRequestException.class,
                () -> client.act(new byte[10 * 1024 * 1024], INSTRUCTION));
        assertError(tooLarge, 413, "invalid_request_error", "request_too_large");

        // The client always sends JSON, so a 415 only comes to code that sends its own requests:
        // VlaException.fromResponse types the gateway's real answer to one.
        HttpResponse<String> plainText = http.send(HttpRequest.newBuilder(fleet.url("gateway-service", "/v1/inference"))
                .header("Authorization", "Bearer " + customer.apiKey()).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("go to the purple tube")).build(),
                HttpResponse.BodyHandlers.ofString());
        VlaException unsupported = VlaException.fromResponse(plainText.statusCode(), plainText.headers(), plainText.body());
        assertInstanceOf(InvalidRequestException.class, unsupported);
        assertError(unsupported, 415, "invalid_request_error", "unsupported_media_type");
    }

    @Test
    @Order(4)
    void aRealRateLimitIsWaitedOutAsRetryAfterSays() throws Exception {
        FleetCustomer customer = FleetCustomer.create(fleet, "Java Burst Robotics", "pro");
        // 12 a minute: a bucket of 12, one more every 5 s.
        customer.withLimits(fleet, "{\"rate_limit_per_minute\": 12}");
        // One retry, after at most 0.5 s of backoff: only waiting as long as Retry-After says gets a token.
        VlaClient patient = client(customer.apiKey()).maxRetries(1).build();
        ActionResult waitedOut = null;
        for (int call = 0; call < 40 && waitedOut == null; call++) {
            ActionResult result = patient.act(IMAGE, INSTRUCTION);
            if (result.attempts() > 1) {
                waitedOut = result;
            }
        }
        assertNotNull(waitedOut, "the bucket of 12 never ran out in 40 calls");
        assertEquals(2, waitedOut.attempts());
        assertEquals(7, waitedOut.values().size());

        // The bucket is empty again: without retries the 429 itself comes back, typed.
        RateLimitException limited = assertThrows(RateLimitException.class,
                () -> client(customer.apiKey()).maxRetries(0).build().act(IMAGE, INSTRUCTION));
        assertError(limited, 429, "rate_limit_exceeded", "rate_limit_exceeded");
        Duration retryAfter = limited.retryAfter().orElseThrow();
        assertTrue(!retryAfter.isNegative() && retryAfter.compareTo(Duration.ofSeconds(5)) <= 0, retryAfter.toString());
        assertEquals(12, limited.rateLimit().burst().orElseThrow().limit());
        assertEquals(0, limited.rateLimit().burst().orElseThrow().remaining());
    }

    @Test
    @Order(5)
    void anAnswerSlowerThanTheTimeoutIsATimeout() throws Exception {
        VlaClient hasty = client(FleetCustomer.create(fleet, "Java Hasty Robotics", "pro").apiKey()).timeout(Duration.ofMillis(1)).build();
        VlaTimeoutException timedOut = assertThrows(VlaTimeoutException.class, () -> hasty.act(IMAGE, INSTRUCTION));
        assertEquals(0, timedOut.status());
    }

    @Test
    @Order(6)
    void bothJavaExamplesPrintAnAction() throws Exception {
        String apiKey = FleetCustomer.create(fleet, "Java Examples Robotics", "pro").apiKey();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        assertAction(runExample(apiKey, java, "examples/java/HttpClientExample.java"));
        // The command examples/java/README.md gives.
        assertAction(runExample(apiKey, java, "-cp", "clients/java/target/vla-client.jar:clients/java/target/lib/*",
                "examples/java/ClientExample.java"));
    }

    /**
     * kill -9 of the only inference instance behind the gateway while four robots act: their calls
     * get 502 and 503 until it is back, retry after Retry-After under their Idempotency-Keys, and
     * every call ends with an action, billed once.
     */
    @Test
    @Order(7)
    void aKilledInferenceInstanceIsRetriedThroughAndEachCallIsBilledOnce() throws Exception {
        FleetCustomer customer = FleetCustomer.create(fleet, "Java Crash Robotics", "pro");
        customer.withLimits(fleet, "{\"rate_limit_per_minute\": 100000}");
        // The restart takes about 30 s on a busy machine; one retry a second (Retry-After: 1) for up to 5 minutes.
        VlaClient client = client(customer.apiKey()).maxRetries(300).backoff(Duration.ofMillis(100), Duration.ofSeconds(1)).build();
        List<ActionResult> results = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService robots = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int robot = 0; robot < 4; robot++) {
            done.add(robots.submit(() -> {
                while (running.get()) {
                    try {
                        results.add(client.act(IMAGE, INSTRUCTION));
                    } catch (VlaException e) {
                        failures.add(e);
                    }
                }
            }));
        }
        try {
            await().atMost(Duration.ofMinutes(2)).until(() -> results.size() >= 20);
            fleet.kill("inference-service");
            fleet.restart("inference-service");
            int beforeRecovery = results.size();
            await().atMost(Duration.ofMinutes(5)).until(() -> results.size() >= beforeRecovery + 20);
        } finally {
            running.set(false);
            for (Future<?> robot : done) {
                robot.get();
            }
            robots.shutdown();
        }

        Map<Integer, Long> callsByAttempts = results.stream().collect(Collectors.groupingBy(ActionResult::attempts,
                TreeMap::new, Collectors.counting()));
        System.out.println("kill -9 inference-service: calls by attempts " + callsByAttempts + ", failed calls " + failures.size());
        assertEquals(List.of(), failures);
        assertTrue(callsByAttempts.keySet().stream().anyMatch(attempts -> attempts > 1), "no call had to retry");
        Set<UUID> answered = results.stream().map(result -> UUID.fromString(result.requestId())).collect(Collectors.toSet());
        assertEquals(results.size(), answered.size(), "each call has its own request id");
        // The log is written in batches and usage is relayed: wait until both hold every answer.
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            assertEquals(answered, requestIds("SELECT request_id FROM inference.inference_logs WHERE customer_id = ?"
                    + " AND status_code = 200", customer.id()), "billable log rows: exactly the calls' answers");
            assertEquals(answered, requestIds("SELECT request_id FROM billing.usage_events WHERE customer_id = ?",
                    customer.id()), "usage events: exactly the calls' answers");
        });
        assertEquals(results.size(), count("SELECT count(*) FROM inference.inference_logs WHERE customer_id = ?"
                + " AND status_code = 200", customer.id()), "one log row per call");
        assertEquals(results.size(), count("SELECT count(*) FROM billing.usage_events WHERE customer_id = ?", customer.id()),
                "one usage event per call");
    }

    private static VlaClient.Builder client(String apiKey) {
        return VlaClient.builder(apiKey).baseUrl(gateway);
    }

    private static void assertError(VlaException e, int status, String type, String code) {
        assertEquals(status, e.status(), e.getMessage());
        assertEquals(type, e.type(), e.getMessage());
        assertEquals(code, e.code(), e.getMessage());
        UUID.fromString(e.requestId());
    }

    /** The example's output, after it exited 0. */
    private static String runExample(String apiKey, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().put("VLA_API_KEY", apiKey);
        builder.environment().put("VLA_API_URL", gateway);
        Process example = builder.start();
        String output = new String(example.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(example.waitFor(1, TimeUnit.MINUTES), "still running after its output closed: " + Arrays.toString(command));
        assertEquals(0, example.exitValue(), Arrays.toString(command) + " printed:\n" + output);
        return output;
    }

    /** A line {@code action: [v1, ..., v7]} of seven numbers. */
    private static void assertAction(String output) {
        Matcher action = Pattern.compile("(?m)^action: \\[([^\\]]*)\\]$").matcher(output);
        assertTrue(action.find(), "no action printed:\n" + output);
        List<Double> values = Arrays.stream(action.group(1).split(",")).map(String::trim).map(Double::valueOf).toList();
        assertEquals(7, values.size(), output);
    }

    private static Set<UUID> requestIds(String query, UUID customer) throws Exception {
        try (Connection db = fleet.connect(); PreparedStatement select = db.prepareStatement(query)) {
            select.setObject(1, customer);
            Set<UUID> ids = new HashSet<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }

    private static long count(String query, UUID customer) throws Exception {
        try (Connection db = fleet.connect(); PreparedStatement select = db.prepareStatement(query)) {
            select.setObject(1, customer);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
