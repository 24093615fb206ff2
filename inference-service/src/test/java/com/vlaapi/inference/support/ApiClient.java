package com.vlaapi.inference.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real HTTP client that calls the service the way the gateway does. */
public final class ApiClient {

    public static final String TOKEN = "test-internal-token";
    public static final UUID CUSTOMER = UUID.fromString("0b7c1d7e-3f6a-4c55-9a3e-5d2f6e8a9b10");
    public static final UUID API_KEY = UUID.fromString("6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a09");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    public ApiClient(int port) {
        this.baseUrl = "http://127.0.0.1:" + port;
    }

    /** A request with the headers the gateway sets; callers add or override what they test. */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .header("X-Internal-Token", TOKEN)
                .header("X-Vla-Customer-Id", CUSTOMER.toString())
                .header("X-Vla-Api-Key-Id", API_KEY.toString());
    }

    /** A bare request: no gateway headers at all. */
    public HttpRequest.Builder anonymous(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60));
    }

    public HttpRequest.Builder inference(String jsonBody) {
        return request("/v1/inference").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest.Builder request) {
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /** A JSON object with the given fields, as a client would write it. */
    public static String body(Object... keysAndValues) {
        var node = JSON.createObjectNode();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            node.putPOJO((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return JSON.writeValueAsString(node);
    }
}
