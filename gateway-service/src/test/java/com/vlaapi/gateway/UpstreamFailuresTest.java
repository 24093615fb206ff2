package com.vlaapi.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An inference instance that crashes mid-request drops the connection before answering: the client
 * is told so with a retryable 502 and {@code Retry-After}, never a 500, when no other instance can
 * take the request; with another instance, the request is sent there. One that is down (refuses
 * connections) costs no request either: it is retried on another instance and left out of the rotation.
 */
class UpstreamFailuresTest extends GatewayOnStandInsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    @Test
    void aConnectionDroppedBeforeTheAnswerIsARetryable502() throws Exception {
        String key = standIns.key(UUID.randomUUID(), "active", "pro", 100_000, 100_000);
        HttpResponse<String> response;
        try (ServerSocket dropping = dropsEveryConnection(); ConfigurableApplicationContext gateway =
                standIns.startGateway(Map.of("vla.inference.urls", "http://127.0.0.1:" + dropping.getLocalPort()))) {
            int port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
            response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/inference"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"instruction\": \"pick up the red cube\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        assertEquals(502, response.statusCode(), response.body());
        assertEquals("1", response.headers().firstValue("Retry-After").orElse(null));
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertEquals("upstream_connection_lost", error.get("code").asString());
        assertEquals("api_error", error.get("type").asString());
        assertTrue(error.get("message").asString().contains("retry"), response.body());
    }

    @Test
    void aRefusedConnectionIsRetriedOnAnotherInstanceWhichThenTakesTheTraffic() throws Exception {
        String key = standIns.key(UUID.randomUUID(), "active", "pro", 100_000, 100_000);
        int closedPort;
        try (ServerSocket reserved = new ServerSocket(0)) {
            closedPort = reserved.getLocalPort();
        }
        List<Integer> statuses = new ArrayList<>();
        double retries;
        try (ConfigurableApplicationContext gateway = standIns.startGateway(Map.of(
                "vla.inference.urls", "http://127.0.0.1:" + closedPort + "," + standIns.inferenceUrl(),
                "vla.inference.failure-ejection", "1h"))) {
            int port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
            for (int i = 0; i < 6; i++) {
                statuses.add(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/inference"))
                        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"instruction\": \"pick up the red cube\"}")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());
            }
            retries = gateway.getBean(MeterRegistry.class).counter("vla.gateway.upstream.retries").count();
        }

        assertEquals(List.of(200, 200, 200, 200, 200, 200), statuses, "every request answered by the live instance");
        assertEquals(1.0, retries, "only the first request met the dead instance; then it was out of rotation");
    }

    /**
     * With two instances, a request the first drops before answering (it crashed while serving) is
     * sent to the second, whole, under the same request id: inference-service logs and bills a
     * request id once, so the client gets its answer and one bill.
     */
    @Test
    void aConnectionDroppedBeforeTheAnswerIsRetriedOnAnotherInstanceUnderTheSameRequestId() throws Exception {
        String key = standIns.key(UUID.randomUUID(), "active", "pro", 100_000, 100_000);
        String body = "{\"instruction\": \"pick up the red cube\", \"image\": \"" + "A".repeat(300_000) + "\"}";
        List<String> droppedIds = new CopyOnWriteArrayList<>();
        List<HttpResponse<String>> responses = new ArrayList<>();
        double retries;
        try (ServerSocket dropping = dropsEveryConnection(droppedIds); ConfigurableApplicationContext gateway =
                standIns.startGateway(Map.of(
                        "vla.inference.urls", "http://127.0.0.1:" + dropping.getLocalPort() + "," + standIns.inferenceUrl(),
                        "vla.inference.failure-ejection", "1h"))) {
            int port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
            for (int i = 0; i < 4; i++) {
                responses.add(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/inference"))
                        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            retries = gateway.getBean(MeterRegistry.class).counter("vla.gateway.upstream.retries").count();
        }

        for (HttpResponse<String> response : responses) {
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(body.length(), JSON.readTree(response.body()).get("body_bytes").asInt(), "the whole body, again");
        }
        assertEquals(1.0, retries, "only the first request met the dropping instance; then it was out of rotation");
        assertEquals(1, droppedIds.size(), "requests the dropping instance saw: " + droppedIds);
        List<String> answeredIds = new ArrayList<>();
        for (HttpResponse<String> response : responses) {
            answeredIds.add(JSON.readTree(response.body()).get("request_id").asString());
        }
        assertTrue(answeredIds.contains(droppedIds.get(0)), "the retry kept the dropped request's id: " + answeredIds);
    }

    /** Reads each request's headers, then resets the connection: a process killed while serving. */
    private static ServerSocket dropsEveryConnection() {
        return dropsEveryConnection(new CopyOnWriteArrayList<>());
    }

    /** As {@link #dropsEveryConnection()}, noting each request's X-Request-Id in {@code requestIds}. */
    private static ServerSocket dropsEveryConnection(List<String> requestIds) {
        try {
            ServerSocket server = new ServerSocket(0);
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket connection = server.accept()) {
                        String headers = readHeaders(connection.getInputStream());
                        headers.lines().filter(line -> line.toLowerCase(Locale.ROOT).startsWith("x-request-id:"))
                                .forEach(line -> requestIds.add(line.substring(line.indexOf(':') + 1).strip()));
                        connection.setSoLinger(true, 0);
                    } catch (IOException closed) {
                        // the server socket closed after the tests, or the gateway gave up first
                    }
                }
            }, "dropping-inference");
            acceptor.setDaemon(true);
            acceptor.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readHeaders(InputStream in) throws IOException {
        StringBuilder headers = new StringBuilder();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int b = in.read(); b >= 0 && matched < end.length; b = in.read()) {
            headers.append((char) b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return headers.toString();
    }
}
