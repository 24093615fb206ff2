package com.vlaapi.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The retry loop against a scripted stand-in server: what goes on the wire between attempts,
 * which the fleet tests (bench's JavaClientIT) cannot see. Backoffs are zero to keep it quick.
 */
class VlaClientTest {

    private static final String ACTION = "{\"request_id\": \"req-1\", \"model\": \"tabletop-v1\", \"model_version\": \"1.0.0\","
            + " \"action\": {\"values\": [0.0375, -0.0124, 0, 0, 0, 0, 0], \"names\": [\"dx\", \"dy\", \"dz\", \"droll\","
            + " \"dpitch\", \"dyaw\", \"gripper\"], \"unnorm_key\": \"tabletop_sim\"}, \"latency_ms\": 6.2,"
            + " \"timings_ms\": {\"inference\": 3.0}, \"created_at\": \"2026-11-27T22:57:36.853Z\"}";

    private interface Answer {
        void answer(HttpExchange exchange) throws IOException;
    }

    private record Received(String authorization, String idempotencyKey, JsonNode body) {
    }

    private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/inference", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Idempotency-Key"), Json.MAPPER.readTree(body)));
            script.remove().answer(exchange);
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void retriesUnderOneIdempotencyKeyAndReturnsTheAction() {
        script.add(error(503, "overloaded_error", "upstream_unavailable", "0"));
        script.add(error(502, "api_error", "upstream_connection_lost", "0"));
        script.add(ok());
        ActionResult result = client().maxRetries(2).build().act(new byte[] {1, 2, 3}, "go to the purple tube");
        assertEquals(3, result.attempts());
        assertEquals(List.of(0.0375, -0.0124, 0.0, 0.0, 0.0, 0.0, 0.0), result.values());
        assertEquals("req-1", result.requestId());
        assertEquals(6.2, result.latencyMs());
        assertEquals(1, received.stream().map(Received::idempotencyKey).distinct().count(), "one key for all attempts");
        assertFalse(received.get(0).idempotencyKey().isBlank());
        assertEquals("Bearer vla_live_test", received.get(0).authorization());
    }

    @Test
    void eachCallHasItsOwnIdempotencyKeyUnlessGivenOne() {
        script.add(ok());
        script.add(ok());
        script.add(ok());
        VlaClient client = client().build();
        client.act(new byte[] {1}, "go");
        client.act(new byte[] {1}, "go");
        client.act(new byte[] {1}, "go", ActOptions.defaults().idempotencyKey("robot-7-step-42"));
        assertNotEquals(received.get(0).idempotencyKey(), received.get(1).idempotencyKey());
        assertEquals("robot-7-step-42", received.get(2).idempotencyKey());
    }

    @Test
    void sendsTheOptionsItIsGivenAndNoOthers() {
        script.add(ok());
        script.add(ok());
        VlaClient client = client().build();
        client.act(new byte[] {1, 2, 3}, "go");
        client.act(new byte[] {1, 2, 3}, "go", ActOptions.defaults().unnormKey("tabletop_sim_cm").model("tabletop-v1"));
        assertEquals(List.of("image", "instruction"), fieldNames(received.get(0).body()));
        assertEquals("AQID", received.get(0).body().get("image").asText());
        assertEquals(List.of("image", "instruction", "unnorm_key", "model"), fieldNames(received.get(1).body()));
        assertEquals("tabletop_sim_cm", received.get(1).body().get("unnorm_key").asText());
    }

    @Test
    void sendsTheSafetyOptionsAndReadsTheSafetyReview() {
        script.add(exchange -> send(exchange, 200, ACTION.replace("\"unnorm_key\": \"tabletop_sim\"}",
                "\"unnorm_key\": \"tabletop_sim\", \"raw\": [0.3, 0.4, 0, 0, 0, 0, 0]},"
                        + " \"safety\": {\"score\": 0.5, \"flags\": [\"clipped\"], \"robot\": \"arm-3\"}")));
        script.add(ok());
        VlaClient client = client().build();

        ActionResult clipped = client.act(new byte[] {1}, "go",
                ActOptions.defaults().robot("arm-3").position(0.1, 0.0, 0.2).onUnsafe("reject"));
        ActionResult plain = client.act(new byte[] {1}, "go");

        JsonNode sent = received.get(0).body();
        assertEquals(List.of("image", "instruction", "robot", "position", "on_unsafe"), fieldNames(sent));
        assertEquals(0.2, sent.get("position").get(2).asDouble());
        assertEquals(List.of(0.3, 0.4, 0.0, 0.0, 0.0, 0.0, 0.0), clipped.action().raw());
        assertEquals(new Safety(0.5, List.of("clipped"), "arm-3"), clipped.safety());
        assertEquals(null, plain.action().raw());
        assertEquals(List.of(), plain.safety().flags());
    }

    @Test
    void aConnectionDroppedBeforeTheAnswerIsRetried() throws Exception {
        // A bare socket: the first connection is closed unanswered, as by an instance killed mid-request.
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread peer = new Thread(() -> {
                try (Socket dropped = listener.accept()) {
                    dropped.getInputStream().read(new byte[64]);
                    dropped.setSoLinger(true, 0);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                try (Socket answered = listener.accept()) {
                    readRequest(answered.getInputStream());
                    byte[] body = ACTION.getBytes(StandardCharsets.UTF_8);
                    answered.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                            + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    answered.getOutputStream().write(body);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            peer.start();
            ActionResult result = VlaClient.builder("vla_live_test").baseUrl("http://127.0.0.1:" + listener.getLocalPort())
                    .backoff(Duration.ZERO, Duration.ZERO).build().act(new byte[] {1}, "go");
            peer.join();
            assertEquals(2, result.attempts());
            assertEquals("req-1", result.requestId());
        }
    }

    @Test
    void givesUpAfterMaxRetriesWithTheLastError() {
        for (int i = 0; i < 3; i++) {
            script.add(error(502, "api_error", "upstream_connection_lost", "0"));
        }
        ApiErrorException e = assertThrows(ApiErrorException.class, () -> client().maxRetries(2).build().act(new byte[] {1}, "go"));
        assertEquals("upstream_connection_lost", e.code());
        assertEquals(3, received.size());
    }

    @Test
    void neitherTheQuotaNorAClientErrorIsRetried() {
        script.add(error(429, "quota_exceeded", "quota_exceeded", "86400"));
        script.add(error(400, "invalid_request_error", "not_an_image", null));
        VlaClient client = client().maxRetries(5).build();
        QuotaExceededException quota = assertThrows(QuotaExceededException.class, () -> client.act(new byte[] {1}, "go"));
        assertEquals(Duration.ofDays(1), quota.retryAfter().orElseThrow());
        InvalidRequestException invalid = assertThrows(InvalidRequestException.class, () -> client.act(new byte[] {1}, "go"));
        assertEquals("not_an_image", invalid.code());
        assertEquals(2, received.size());
    }

    @Test
    void aRetryAfterLongerThanTheClientWaitsFailsAtOnce() {
        script.add(error(429, "rate_limit_exceeded", "rate_limit_exceeded", "45"));
        RateLimitException e = assertThrows(RateLimitException.class,
                () -> client().maxRetries(5).maxRetryWait(Duration.ofSeconds(30)).build().act(new byte[] {1}, "go"));
        assertEquals(Duration.ofSeconds(45), e.retryAfter().orElseThrow());
        assertEquals(1, received.size());
    }

    @Test
    void aSlowAnswerIsATimeoutAndNotRetried() throws Exception {
        // The server answers only once the client has given up, however slow the machine.
        CountDownLatch clientGaveUp = new CountDownLatch(1);
        script.add(exchange -> {
            try {
                clientGaveUp.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ok().answer(exchange);
        });
        assertThrows(VlaTimeoutException.class,
                () -> client().timeout(Duration.ofMillis(100)).maxRetries(3).build().act(new byte[] {1}, "go"));
        clientGaveUp.countDown();
        assertEquals(1, received.size());
    }

    private VlaClient.Builder client() {
        return VlaClient.builder("vla_live_test").baseUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/")
                .backoff(Duration.ZERO, Duration.ZERO);
    }

    private static Answer ok() {
        return exchange -> send(exchange, 200, ACTION);
    }

    private static Answer error(int status, String type, String code, String retryAfter) {
        return exchange -> {
            if (retryAfter != null) {
                exchange.getResponseHeaders().set("Retry-After", retryAfter);
            }
            send(exchange, status, "{\"error\": {\"type\": \"" + type + "\", \"code\": \"" + code
                    + "\", \"message\": \"m\", \"request_id\": \"r\"}}");
        };
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** Reads one HTTP/1.1 request with a Content-Length body off the stream. */
    private static void readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                throw new IOException("the request ended in its headers");
            }
            head.append((char) next);
        }
        long length = head.toString().lines().filter(line -> line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).trim())).findFirst().orElse(0);
        in.readNBytes((int) length);
    }

    private static List<String> fieldNames(JsonNode body) {
        List<String> names = new java.util.ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
