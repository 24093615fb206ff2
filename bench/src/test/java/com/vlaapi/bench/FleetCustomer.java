package com.vlaapi.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.vlaapi.bench.fleet.LocalFleet;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A customer of a test's fleet, made through customer-service's admin API as an operator makes one, and its first key. */
public record FleetCustomer(UUID id, UUID keyId, String apiKey) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A customer of {@code company} on {@code tier}, with an e-mail address of its own (a test may make several). */
    public static FleetCustomer create(LocalFleet fleet, String company, String tier) throws Exception {
        String email = company.toLowerCase(Locale.ROOT).replace(' ', '-') + "-" + UUID.randomUUID() + "@example.com";
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        fleet.url("customer-service", "/admin/v1/customers"))
                .header("Authorization", "Bearer " + fleet.adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of(
                        "company_name", company, "email", email, "tier", tier))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        JsonNode body = JSON.readTree(created.body());
        return new FleetCustomer(UUID.fromString(body.at("/customer/customer_id").asString()),
                UUID.fromString(body.at("/api_key/key_id").asString()), body.at("/api_key/key").asString());
    }

    /**
     * Sets the customer's limits ({@code limits}: the admin API's fields, e.g. {@code {"rate_limit_per_minute": 20}})
     * before its key's first use, so that no gateway has older ones cached.
     */
    public FleetCustomer withLimits(LocalFleet fleet, String limits) throws Exception {
        HttpResponse<String> patched = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        fleet.url("customer-service", "/admin/v1/customers/" + id))
                .header("Authorization", "Bearer " + fleet.adminToken).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(limits))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, patched.statusCode(), patched.body());
        return this;
    }
}
