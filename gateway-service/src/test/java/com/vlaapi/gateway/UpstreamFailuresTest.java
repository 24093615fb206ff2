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
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An inference instance that crashes mid-request drops the connection before answering: the client
 * is told so with a retryable 502 and {@code Retry-After}, never a 500. One that is down (refuses
 * connections) costs no request: it is retried on another instance and left out of the rotation.
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

    /** Reads each request's headers, then resets the connection: a process killed while serving. */
    private static ServerSocket dropsEveryConnection() {
        try {
            ServerSocket server = new ServerSocket(0);
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket connection = server.accept()) {
                        readHeaders(connection.getInputStream());
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

    private static void readHeaders(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int b = in.read(); b >= 0 && matched < end.length; b = in.read()) {
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }
}
