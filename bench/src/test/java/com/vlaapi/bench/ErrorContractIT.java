package com.vlaapi.bench;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.bench.fleet.LocalFleet;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The same bad request to each of the four services of a running fleet gets the same error body:
 * byte for byte but for the request id, which is the one in the response's X-Request-Id header.
 */
class ErrorContractIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TRUNCATED_JSON = "{\"instruction\": ";

    private static LocalFleet fleet;
    private static String apiKey;
    private static UUID customerId;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = new LocalFleet(ROOT);
        fleet.start();
        FleetCustomer customer = FleetCustomer.create(fleet, "Contract Robotics", "pro");
        apiKey = customer.apiKey();
        customerId = customer.id();
    }

    @AfterAll
    static void stopFleet() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void anUnknownRouteIsTheSame404Everywhere() throws Exception {
        Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
        for (String service : fleet.services()) {
            answers.put(service, send(authenticated(service, "/v1/no-such-route").GET()));
        }
        assertIdentical(answers, 404, "not_found_error", "route_not_found");
        assertEquals("No route for GET /v1/no-such-route.", message(answers.get("gateway-service")));
    }

    @Test
    void malformedJsonIsTheSame400Everywhere() throws Exception {
        Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
        for (String service : fleet.services()) {
            answers.put(service, send(jsonEndpoint(service).POST(HttpRequest.BodyPublishers.ofString(TRUNCATED_JSON))));
        }
        assertIdentical(answers, 400, "invalid_request_error", "invalid_json");
    }

    @Test
    void anOversizedBodyIsA413Everywhere() throws Exception {
        for (String service : fleet.services()) {
            // Just over each service's own limit (inference-service takes camera images): the
            // message names that limit, so only the rest of the body is compared.
            int limit = switch (service) {
                case "customer-service" -> 1;
                case "billing-service" -> 4;
                default -> 12;
            };
            byte[] body = new byte[limit * 1024 * 1024 + 64 * 1024];
            Arrays.fill(body, (byte) ' ');
            HttpResponse<String> answer = send(jsonEndpoint(service).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
            assertShape(service, answer, 413, "invalid_request_error", "request_too_large");
            assertEquals("The request body is larger than " + limit * 1024 * 1024 + " bytes.", message(answer), service);
        }
    }

    @Test
    void aWrongInternalTokenIsTheSame401Everywhere() throws Exception {
        Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
        for (String service : fleet.services()) {
            if (!service.equals("gateway-service")) {
                answers.put(service, send(internalEndpoint(service).setHeader("X-Internal-Token", "guess")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))));
            }
        }
        assertIdentical(answers, 401, "authentication_error", "invalid_internal_token");
        // The gateway has no internal endpoints: a client's wrong credential is its API key.
        HttpResponse<String> gateway = send(HttpRequest.newBuilder(fleet.url("gateway-service", "/v1/inference"))
                .header("Authorization", "Bearer vla_live_" + "x".repeat(32)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertShape("gateway-service", gateway, 401, "authentication_error", "invalid_api_key");
    }

    /** A request with the credentials the service wants, so the contract is what answers. */
    private HttpRequest.Builder authenticated(String service, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(fleet.url(service, path)).timeout(Duration.ofSeconds(30));
        return switch (service) {
            case "gateway-service" -> request.header("Authorization", "Bearer " + apiKey);
            case "inference-service" -> request.header("X-Internal-Token", fleet.secret("gateway-token"))
                    .header("X-Vla-Customer-Id", customerId.toString());
            default -> request.header("Authorization", "Bearer " + fleet.adminToken)
                    // Each internal API's own caller: the gateway's at customer-service, inference's at billing.
                    .header("X-Internal-Token", fleet.secret(service.equals("billing-service") ? "inference-token" : "gateway-token"));
        };
    }

    /** An endpoint of the service that reads a JSON body. */
    private HttpRequest.Builder jsonEndpoint(String service) {
        String path = switch (service) {
            case "customer-service" -> "/admin/v1/customers";
            case "billing-service" -> "/internal/v1/usage-events";
            default -> "/v1/inference";
        };
        return authenticated(service, path).header("Content-Type", "application/json");
    }

    /** An endpoint of the service that only the fleet's own services may call. */
    private HttpRequest.Builder internalEndpoint(String service) {
        String path = switch (service) {
            case "customer-service" -> "/internal/v1/api-keys/last-used";
            case "billing-service" -> "/internal/v1/usage-events";
            default -> "/v1/inference";
        };
        return authenticated(service, path).header("Content-Type", "application/json");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static void assertIdentical(Map<String, HttpResponse<String>> answers, int status, String type, String code) {
        String expected = null;
        for (Map.Entry<String, HttpResponse<String>> answer : answers.entrySet()) {
            assertShape(answer.getKey(), answer.getValue(), status, type, code);
            String requestId = answer.getValue().headers().firstValue("X-Request-Id").orElseThrow();
            String body = answer.getValue().body().replace(requestId, "<request id>");
            if (expected == null) {
                expected = body;
            }
            assertEquals(expected, body, answer.getKey() + " answers differently from " + answers.keySet().iterator().next());
        }
    }

    private static void assertShape(String service, HttpResponse<String> answer, int status, String type, String code) {
        assertEquals(status, answer.statusCode(), service + ": " + answer.body());
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), service);
        JsonNode body = JSON.readTree(answer.body());
        assertEquals(List.of("error"), List.copyOf(body.propertyNames()), service);
        JsonNode error = body.get("error");
        assertEquals(List.of("type", "code", "message", "request_id"), List.copyOf(error.propertyNames()),
                service);
        assertEquals(type, error.get("type").asString(), service);
        assertEquals(code, error.get("code").asString(), service);
        UUID requestId = UUID.fromString(answer.headers().firstValue("X-Request-Id").orElseThrow());
        assertEquals(requestId.toString(), error.get("request_id").asString(), service);
    }

    private static String message(HttpResponse<String> answer) {
        return JSON.readTree(answer.body()).get("error").get("message").asString();
    }
}
