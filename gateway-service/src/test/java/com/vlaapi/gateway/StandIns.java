package com.vlaapi.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.vlaapi.servicecontract.apikey.ApiKeyFormat;
import com.vlaapi.servicecontract.apikey.ApiKeyHashes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Stand-ins for the gateway's two neighbours, on the JDK's HTTP server: customer-service's key
 * endpoint (answers for the keys registered here) and an inference instance that echoes what it
 * received (headers, and the body's length) and counts the requests it served.
 */
final class StandIns implements AutoCloseable {

    static final String INTERNAL_TOKEN = "test-internal-token";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Where the gateways pointed at these stand-ins keep their Redis keys: a test's own. */
    final String redisPrefix = "vla-test-" + UUID.randomUUID() + ":";
    final AtomicInteger keyLookups = new AtomicInteger();
    final AtomicInteger served = new AtomicInteger();
    private final Map<String, String> keys = new ConcurrentHashMap<>();
    final Map<String, UUID> keyIds = new ConcurrentHashMap<>();
    final List<String> lastUsedReports = new CopyOnWriteArrayList<>();
    /** Successful inferences per customer: what the request log would hold. */
    final Map<String, AtomicInteger> servedByCustomer = new ConcurrentHashMap<>();
    final HttpServer customerService = server(this::lookUpKey);
    final HttpServer inferenceA = server(exchange -> infer(exchange, "a"));
    final HttpServer inferenceB = server(exchange -> infer(exchange, "b"));

    /** Registers an API key of a tier that is not metered; returns it. */
    String key(UUID customer, String keyStatus, String tier, long monthlyQuota, int perMinute) {
        return key(customer, keyStatus, tier, monthlyQuota, perMinute, false, null);
    }

    /** Registers an API key of a tier that is not metered, expiring at {@code expiresAt}; returns it. */
    String key(UUID customer, String keyStatus, String tier, long monthlyQuota, int perMinute, Instant expiresAt) {
        return key(customer, keyStatus, tier, monthlyQuota, perMinute, false, expiresAt);
    }

    /**
     * Registers an API key as customer-service would answer for it: metered or not (billed beyond
     * the quota), expiring at {@code expiresAt} (null: never); returns it.
     */
    String key(UUID customer, String keyStatus, String tier, long monthlyQuota, int perMinute, boolean metered,
               Instant expiresAt) {
        byte[] secret = new byte[ApiKeyFormat.RANDOM_BYTES];
        RANDOM.nextBytes(secret);
        String key = ApiKeyFormat.newKey(secret);
        UUID keyId = UUID.randomUUID();
        keyIds.put(key, keyId);
        keys.put(ApiKeyHashes.sha256Hex(key), "{\"key_id\": \"" + keyId + "\", \"customer_id\": \"" + customer
                + "\", \"key_status\": \"" + keyStatus + "\", \"customer_status\": \"active\", \"tier\": \"" + tier
                + "\", \"monthly_quota\": " + monthlyQuota + ", \"rate_limit_per_minute\": " + perMinute
                + ", \"metered\": " + metered + ", \"expires_at\": " + (expiresAt == null ? "null" : "\"" + expiresAt + "\"") + "}");
        return key;
    }

    /** customer-service's side of a revocation: from now on the lookup says "revoked". */
    void revoke(String key) {
        keys.computeIfPresent(ApiKeyHashes.sha256Hex(key), (hash, json) -> json.replace("\"key_status\": \"active\"", "\"key_status\": \"revoked\""));
    }

    /** Where a gateway that {@link #startGateway} started serves its actuator. */
    static int managementPort(ConfigurableApplicationContext gateway) {
        return Integer.parseInt(gateway.getEnvironment().getRequiredProperty("local.management.port"));
    }

    /** Points a @SpringBootTest gateway at these stand-ins. */
    void register(DynamicPropertyRegistry registry) {
        gatewaySettings().forEach((name, value) -> registry.add(name, () -> value));
    }

    /** Starts another gateway instance pointed at these stand-ins, {@code settings} added or overridden. */
    ConfigurableApplicationContext startGateway(Map<String, String> settings) {
        return startGateway(settings, Clock.systemUTC());
    }

    /** The same, the gateway reading the time from {@code clock}. */
    ConfigurableApplicationContext startGateway(Map<String, String> settings, Clock clock) {
        Map<String, String> all = new LinkedHashMap<>(gatewaySettings());
        all.put("server.port", "0");
        all.put("management.server.port", "0");
        all.putAll(settings);
        return new SpringApplicationBuilder(GatewayServiceApplication.class)
                .initializers(context -> context.getBeanFactory().registerSingleton("testClock", clock))
                .run(all.entrySet().stream().map(setting -> "--" + setting.getKey() + "=" + setting.getValue())
                        .toArray(String[]::new));
    }

    private Map<String, String> gatewaySettings() {
        return Map.of(
                "vla.internal-token", INTERNAL_TOKEN,
                "vla.redis.prefix", redisPrefix,
                "vla.customer.url", customerServiceUrl(),
                "vla.inference.urls", inferenceUrls());
    }

    /**
     * The customer's usage counters of every month added up, so a test does not depend on which
     * month the gateway's clock said it was.
     */
    long usageCounted(StringRedisTemplate redis, UUID customer) {
        Set<String> counters = redis.keys(redisPrefix + "usage:{" + customer + "}:????-??");
        return counters == null ? 0 : counters.stream().map(redis.opsForValue()::get)
                .filter(java.util.Objects::nonNull).mapToLong(Long::parseLong).sum();
    }

    /** Removes every Redis key written under this test's prefix. */
    void deleteKeys(StringRedisTemplate redis) {
        Set<String> keys = redis.keys(redisPrefix + "*");
        if (keys != null && !keys.isEmpty()) {
            redis.delete(keys);
        }
    }

    private String customerServiceUrl() {
        return "http://127.0.0.1:" + customerService.getAddress().getPort();
    }

    /** One of the two stand-in inference instances. */
    String inferenceUrl() {
        return "http://127.0.0.1:" + inferenceA.getAddress().getPort();
    }

    private String inferenceUrls() {
        return "http://127.0.0.1:" + inferenceA.getAddress().getPort() + ",http://127.0.0.1:" + inferenceB.getAddress().getPort();
    }

    private void lookUpKey(HttpExchange exchange) throws IOException {
        if (!INTERNAL_TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Internal-Token"))) {
            respond(exchange, 401, "{}");
            return;
        }
        if (exchange.getRequestURI().getPath().equals("/internal/v1/api-keys/last-used")) {
            lastUsedReports.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            return;
        }
        keyLookups.incrementAndGet();
        String found = keys.get(exchange.getRequestURI().getPath().replace("/internal/v1/api-keys/", ""));
        if (found == null) {
            respond(exchange, 404, "{\"error\": {\"code\": \"api_key_not_found\"}}");
        } else {
            respond(exchange, 200, found);
        }
    }

    private void infer(HttpExchange exchange, String instance) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.startsWith("/internal/v1/usage/")) {
            String customer = path.substring("/internal/v1/usage/".length());
            AtomicInteger count = servedByCustomer.getOrDefault(customer, new AtomicInteger());
            respond(exchange, 200, "{\"customer_id\": \"" + customer + "\", \"successful_requests\": " + count.get() + "}");
            return;
        }
        int bodyBytes = exchange.getRequestBody().readAllBytes().length;
        served.incrementAndGet();
        servedByCustomer.computeIfAbsent(header(exchange, "X-Vla-Customer-Id"), c -> new AtomicInteger()).incrementAndGet();
        respond(exchange, 200, "{\"instance\": \"" + instance + "\", \"body_bytes\": " + bodyBytes
                + ", \"customer\": \"" + header(exchange, "X-Vla-Customer-Id")
                + "\", \"internal_token\": \"" + header(exchange, "X-Internal-Token")
                + "\", \"request_id\": \"" + header(exchange, "X-Request-Id")
                + "\", \"api_key_id\": \"" + header(exchange, "X-Vla-Api-Key-Id")
                + "\", \"x_forwarded_for\": \"" + header(exchange, "X-Forwarded-For")
                + "\", \"forwarded\": \"" + header(exchange, "Forwarded")
                + "\", \"keep_alive\": \"" + header(exchange, "Keep-Alive")
                + "\", \"authorization\": \"" + header(exchange, "Authorization") + "\"}");
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private static HttpServer server(Handler handler) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(16));
            server.createContext("/", handler::handle);
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String header(HttpExchange exchange, String name) {
        String value = exchange.getRequestHeaders().getFirst(name);
        return value == null ? "" : value;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        exchange.getRequestBody().readAllBytes();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        String requestId = exchange.getRequestHeaders().getFirst("X-Request-Id");
        if (requestId != null) {
            exchange.getResponseHeaders().set("X-Request-Id", requestId);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }


    @Override
    public void close() {
        customerService.stop(0);
        inferenceA.stop(0);
        inferenceB.stop(0);
    }
}
