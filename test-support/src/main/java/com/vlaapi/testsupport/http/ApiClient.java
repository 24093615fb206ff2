package com.vlaapi.testsupport.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain HTTP client of one service, so tests see exactly what a caller would: status, headers,
 * raw JSON. Who is calling is a matter of headers: {@link #withHeader} gives the same client with
 * an operator's token, another service's or the gateway's.
 */
public final class ApiClient {

    /** Reads numbers as written (2864.50 stays 2864.50): money must not pass through double. */
    private static final JsonMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    /** The timeouts turn a hung service into a failed test, not a hung build. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http;
    private final String baseUrl;
    private final Map<String, String> headers;

    private ApiClient(HttpClient http, String baseUrl, Map<String, String> headers) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.headers = headers;
    }

    /** A client of the service on this machine's {@code port}, sending no credentials. */
    public static ApiClient onPort(int port) {
        // HTTP/1.1 as the services speak it: the JDK client's h2c upgrade attempts can stall under
        // many concurrent requests.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        return new ApiClient(http, "http://127.0.0.1:" + port, Map.of());
    }

    /** This client, with every request it builds also carrying {@code name: value}. */
    public ApiClient withHeader(String name, String value) {
        Map<String, String> more = new HashMap<>(headers);
        more.put(name, value);
        return new ApiClient(http, baseUrl, Map.copyOf(more));
    }

    public record Response(int status, HttpHeaders headers, String body) {

        public JsonNode json() {
            return parse(body);
        }

        public String errorCode() {
            return json().path("error").path("code").asString();
        }

        public String errorType() {
            return json().path("error").path("type").asString();
        }
    }

    /** One JSON document, read like {@link Response#json()}. */
    public static JsonNode parse(String json) {
        return EXACT.readTree(json);
    }

    /** A request with this client's headers, not yet sent; a test adds or overrides what it is about. */
    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(REQUEST_TIMEOUT);
        headers.forEach(request::header);
        return request;
    }

    /** A request with a JSON body, not yet sent. */
    public HttpRequest.Builder jsonRequest(String method, String path, String json) {
        return request(path).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json));
    }

    public Response get(String path) {
        return send(request(path).GET());
    }

    public Response post(String path, String json) {
        return send(jsonRequest("POST", path, json));
    }

    public Response patch(String path, String json) {
        return send(jsonRequest("PATCH", path, json));
    }

    public Response send(HttpRequest.Builder request) {
        try {
            return response(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public CompletableFuture<Response> sendAsync(HttpRequest.Builder request) {
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(ApiClient::response);
    }

    private static Response response(HttpResponse<String> response) {
        return new Response(response.statusCode(), response.headers(), response.body());
    }
}
