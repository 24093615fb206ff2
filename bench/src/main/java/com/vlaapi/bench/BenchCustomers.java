package com.vlaapi.bench;

import com.vlaapi.bench.fleet.LocalFleet;
import com.vlaapi.servicecontract.ServiceHeaders;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The benchmarks' customers, made through customer-service's admin API as an operator makes them. */
public final class BenchCustomers {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private BenchCustomers() {
    }

    /**
     * An enterprise customer; {@code limits} (a JSON object for the admin PATCH, or null) raises its
     * limits so the benchmark's own rate never trips them.
     *
     * @return the admin API's answer: {@code customer} and the one-time {@code api_key}
     */
    public static JsonNode create(LocalFleet fleet, String company, String limits) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> created = http.send(admin(fleet, "/admin/v1/customers")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of(
                        "company_name", company, "email", "ops@" + company.toLowerCase(Locale.ROOT).replace(' ', '-') + ".example",
                        "tier", "enterprise"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("cannot create the benchmark customer: " + created.statusCode() + " " + created.body());
        }
        JsonNode customer = JSON.readTree(created.body());
        if (limits != null) {
            String id = customer.get("customer").get("customer_id").asString();
            HttpResponse<String> raised = http.send(admin(fleet, "/admin/v1/customers/" + id)
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(limits)).build(), HttpResponse.BodyHandlers.ofString());
            if (raised.statusCode() != 200) {
                throw new IllegalStateException("cannot raise the benchmark customer's limits: " + raised.body());
            }
        }
        return customer;
    }

    /** The headers the gateway sends inference-service for {@code customer} (as {@link #create} answered): a direct client's credential. */
    public static Map<String, String> asTheGateway(LocalFleet fleet, JsonNode customer) {
        return Map.of(ServiceHeaders.INTERNAL_TOKEN, fleet.secret("gateway-token"),
                ServiceHeaders.CUSTOMER_ID, customer.get("customer").get("customer_id").asString());
    }

    private static HttpRequest.Builder admin(LocalFleet fleet, String path) {
        return HttpRequest.newBuilder(fleet.url("customer-service", path))
                .header("Authorization", "Bearer " + fleet.adminToken)
                .header("Content-Type", "application/json");
    }
}
