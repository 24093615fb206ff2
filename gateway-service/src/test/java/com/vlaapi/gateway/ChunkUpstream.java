package com.vlaapi.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stand-in inference-service for the sessions: the model's contract ({@code GET /v1/models},
 * {@code GET /v1/models/{id}}) as inference-service publishes it, and {@code POST /v1/inference}
 * answering {@code "return": "chunk"} as documented (actions 8 x 7, t0, dt, valid_from,
 * deadline_missed). Action k, dimension j is {@code k / 10 + j / 100} plus the state's first value,
 * so a test can tell the state arrived. It records each inference request (headers and body), can
 * hold a customer's requests until released, and can play overloaded (503) for a customer; its
 * successes per customer are the request log's count ({@code /internal/v1/usage/{customer}}).
 */
final class ChunkUpstream implements AutoCloseable {

    static final String MODEL = "tabletop-v1";
    static final int CHUNK = 8;
    static final List<String> ACTION_NAMES = List.of("dx", "dy", "dz", "droll", "dpitch", "dyaw", "gripper");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One inference request as received. */
    record Received(String requestId, String customer, String keyId, String internalToken, JsonNode body) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    final Map<String, AtomicInteger> servedByCustomer = new ConcurrentHashMap<>();
    final Set<String> overloaded = ConcurrentHashMap.newKeySet();
    final Set<String> held = ConcurrentHashMap.newKeySet();
    private final Semaphore release = new Semaphore(0);
    private final HttpServer server;

    ChunkUpstream() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Lets {@code n} held requests answer. */
    void release(int n) {
        release.release(n);
    }

    List<Received> of(String customer) {
        return received.stream().filter(r -> r.customer().equals(customer)).toList();
    }

    static ObjectNode contract() {
        ObjectNode contract = JSON.createObjectNode();
        contract.put("id", MODEL);
        contract.put("version", "2.0.0");
        ObjectNode primary = contract.putObject("cameras").putObject("primary");
        primary.put("width", 64);
        primary.put("height", 64);
        primary.put("channel_order", "RGB");
        ObjectNode state = contract.putObject("state");
        state.putArray("names").add("x").add("y").add("z");
        state.putArray("units").add("m").add("m").add("m");
        state.put("required", false);
        ObjectNode action = contract.putObject("action");
        ArrayNode names = action.putArray("names");
        ACTION_NAMES.forEach(names::add);
        action.put("chunk_length", CHUNK);
        action.put("control_rate_hz", 10.0);
        action.put("default_unnorm_key", "tabletop_sim");
        return contract;
    }

    /** The stand-in's action k, dimension j for a request whose state starts with {@code state0}. */
    static double action(int k, int j, double state0) {
        return k / 10.0 + j / 100.0 + state0;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (path.equals("/v1/models")) {
            ObjectNode list = JSON.createObjectNode();
            list.put("default_model", MODEL);
            list.putArray("models").add(contract());
            respond(exchange, 200, list.toString());
        } else if (path.equals("/v1/models/" + MODEL)) {
            respond(exchange, 200, contract().toString());
        } else if (path.startsWith("/v1/models/")) {
            respond(exchange, 404, "{\"error\": {\"type\": \"not_found_error\", \"code\": \"unknown_model\", "
                    + "\"message\": \"No model; the models served are " + MODEL + ".\"}}");
        } else if (path.startsWith("/internal/v1/usage/")) {
            // The request log's count, which the gateway rebuilds a lost counter from.
            String customer = path.substring("/internal/v1/usage/".length());
            AtomicInteger served = servedByCustomer.getOrDefault(customer, new AtomicInteger());
            respond(exchange, 200, "{\"customer_id\": \"" + customer + "\", \"successful_requests\": " + served.get() + "}");
        } else if (path.equals("/v1/inference")) {
            infer(exchange, JSON.readTree(body));
        } else {
            respond(exchange, 404, "{}");
        }
    }

    private void infer(HttpExchange exchange, JsonNode body) throws IOException {
        String customer = header(exchange, "X-Vla-Customer-Id");
        String requestId = header(exchange, "X-Request-Id");
        received.add(new Received(requestId, customer, header(exchange, "X-Vla-Api-Key-Id"),
                header(exchange, "X-Internal-Token"), body));
        if (held.contains(customer)) {
            try {
                release.tryAcquire(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (overloaded.contains(customer)) {
            respond(exchange, 503, "{\"error\": {\"type\": \"overloaded_error\", \"code\": \"overloaded\", "
                    + "\"message\": \"Too many requests waiting; retry shortly.\", \"request_id\": \"" + requestId + "\"}}");
            return;
        }
        if (!body.has("image") && !body.has("images")) {
            respond(exchange, 400, "{\"error\": {\"type\": \"invalid_request_error\", \"code\": \"missing_image\", "
                    + "\"message\": \"Field 'image' is required.\", \"request_id\": \"" + requestId + "\"}}");
            return;
        }
        servedByCustomer.computeIfAbsent(customer, c -> new AtomicInteger()).incrementAndGet();
        double state0 = body.path("state").path(0).asDouble(0);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("request_id", requestId);
        answer.put("model", body.path("model").asString(MODEL));
        answer.put("model_version", "2.0.0");
        ArrayNode actions = answer.putArray("actions");
        for (int k = 0; k < CHUNK; k++) {
            ArrayNode step = actions.addArray();
            for (int j = 0; j < ACTION_NAMES.size(); j++) {
                step.add(action(k, j, state0));
            }
        }
        ObjectNode first = answer.putObject("action");
        first.set("values", actions.get(0));
        ArrayNode names = first.putArray("names");
        ACTION_NAMES.forEach(names::add);
        first.put("unnorm_key", "tabletop_sim");
        answer.put("t0", body.path("observation_time").asDouble(0));
        answer.put("dt", 0.1);
        answer.put("valid_from", 0);
        answer.put("deadline_missed", false);
        ObjectNode safety = answer.putObject("safety");
        safety.put("score", 0.1);
        safety.putArray("flags");
        safety.putNull("robot");
        answer.put("latency_ms", 1.5);
        ObjectNode timings = answer.putObject("timings_ms");
        timings.put("preprocess", 0.2);
        timings.put("queue", 0.1);
        timings.put("inference", 1.0);
        answer.put("created_at", "2026-12-02T00:00:00Z");
        respond(exchange, 200, answer.toString());
    }

    private static String header(HttpExchange exchange, String name) {
        String value = exchange.getRequestHeaders().getFirst(name);
        return value == null ? "" : value;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        release.release(1000);
        server.stop(0);
    }
}
