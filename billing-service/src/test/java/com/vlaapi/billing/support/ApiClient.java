package com.vlaapi.billing.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client, so tests see exactly what a caller would: status, headers, raw JSON. */
public final class ApiClient {

    /** Reads numbers as written (2864.50 stays 2864.50): money must not pass through double. */
    private static final JsonMapper EXACT = JsonMapper.builder()
            .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;
    private final String adminToken;
    private final String internalToken;

    public record Response(int status, HttpHeaders headers, String body) {

        public JsonNode json() {
            return EXACT.readTree(body);
        }

        public String errorCode() {
            return json().path("error").path("code").asString();
        }

        public String errorType() {
            return json().path("error").path("type").asString();
        }
    }

    /** One JSON document, read like {@link Response#json()}. */
    public JsonNode parse(String json) {
        return EXACT.readTree(json);
    }

    public ApiClient(String baseUrl, String adminToken, String internalToken) {
        this.baseUrl = baseUrl;
        this.adminToken = adminToken;
        this.internalToken = internalToken;
    }

    public Response adminGet(String path) {
        return send(request(path).header("Authorization", "Bearer " + adminToken).GET());
    }

    public Response adminPost(String path, String json) {
        return send(request(path)
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response adminPatch(String path, String json) {
        return send(request(path)
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response internalPost(String path, String json) {
        return send(request(path)
                .header("X-Internal-Token", internalToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response internalGet(String path) {
        return send(request(path).header("X-Internal-Token", internalToken).GET());
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path));
    }

    public Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
