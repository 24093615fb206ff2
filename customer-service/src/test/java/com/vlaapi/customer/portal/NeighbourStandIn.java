package com.vlaapi.customer.portal;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * billing- or inference-service's internal API as the portal sees it: fixed answers by path, a 404
 * for every other path (as those services answer for another customer's ids), and a record of
 * every path asked and the credential it came with. Their own tests check that they scope by the
 * customer in the path; these check that the portal only ever puts the signed-in user's there.
 */
final class NeighbourStandIn implements AutoCloseable {

    record Call(String path, String credential) {
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    final List<Call> calls = new CopyOnWriteArrayList<>();

    private record Answer(String contentType, byte[] body) {
    }

    NeighbourStandIn() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            calls.add(new Call(query == null ? path : path + "?" + query,
                    exchange.getRequestHeaders().getFirst("X-Internal-Token")));
            Answer answer = answers.get(path);
            if (answer == null) {
                byte[] body = "{\"error\":{\"code\":\"not_found\"}}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(404, body.length);
                exchange.getResponseBody().write(body);
            } else {
                exchange.getResponseHeaders().set("Content-Type", answer.contentType());
                exchange.sendResponseHeaders(200, answer.body().length);
                exchange.getResponseBody().write(answer.body());
            }
            exchange.close();
        });
        server.start();
    }

    void answerJson(String path, String json) {
        answers.put(path, new Answer("application/json", json.getBytes(StandardCharsets.UTF_8)));
    }

    void answer(String path, String contentType, byte[] body) {
        answers.put(path, new Answer(contentType, body));
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
