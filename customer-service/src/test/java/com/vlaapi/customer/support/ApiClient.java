package com.vlaapi.customer.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client, so tests see exactly what a caller would: status, headers, raw JSON. */
public final class ApiClient {

    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;
    private final String adminToken;
    private final String internalToken;

    public record Response(int status, HttpHeaders headers, String body) {

        public JsonNode json() {
            return JsonMapper.shared().readTree(body);
        }

        public String errorCode() {
            return json().path("error").path("code").asString();
        }

        public String errorType() {
            return json().path("error").path("type").asString();
        }
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

    /** Creates a customer with a unique email and returns the 201 response. */
    public Response createCustomer(String tier) {
        String email = "ops-" + UUID.randomUUID() + "@example.com";
        return adminPost("/admin/v1/customers",
                "{\"company_name\": \"Acme Robotics\", \"email\": \"" + email + "\", \"tier\": \"" + tier + "\"}");
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
