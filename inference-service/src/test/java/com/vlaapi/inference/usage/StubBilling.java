package com.vlaapi.inference.usage;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stands in for billing-service's usage endpoint on a fixed port that can be down (nothing
 * listening) or up. Records every delivery, duplicates included, and can fail the next N pushes.
 */
final class StubBilling implements AutoCloseable {

    final int port;
    final String expectedToken;
    final Set<UUID> stored = ConcurrentHashMap.newKeySet();
    final List<UUID> deliveries = new CopyOnWriteArrayList<>();
    final AtomicInteger failNext = new AtomicInteger();
    final AtomicInteger rejectedTokens = new AtomicInteger();
    private HttpServer server;

    StubBilling(String expectedToken) {
        this.expectedToken = expectedToken;
        try (ServerSocket socket = new ServerSocket(0)) {
            this.port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/internal/v1/usage-events", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status;
            if (!expectedToken.equals(exchange.getRequestHeaders().getFirst("X-Internal-Token"))) {
                rejectedTokens.incrementAndGet();
                status = 401;
            } else if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                status = 503;
            } else {
                JsonNode events = JsonMapper.shared().readTree(body).get("events");
                for (JsonNode event : events) {
                    UUID id = UUID.fromString(event.get("request_id").asString());
                    deliveries.add(id);
                    stored.add(id);
                }
                status = 200;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
