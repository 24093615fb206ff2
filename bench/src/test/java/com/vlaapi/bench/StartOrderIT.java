package com.vlaapi.bench;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.vlaapi.bench.fleet.LocalFleet;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The services start in any order: here in reverse, billing-service before the services whose
 * read models it needs, and the gateway before everything it calls. The fleet still comes up,
 * answers and bills.
 */
class StartOrderIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static LocalFleet fleet;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    static void stopFleet() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void theFleetStartedInReverseOrderServesAndBills() throws Exception {
        fleet = new LocalFleet(ROOT);
        fleet.prepare();
        fleet.launch("gateway-service");
        fleet.launch("billing-service");
        awaitLog("billing-service", "waiting for customer.customers_v1");
        fleet.launch("inference-service");
        fleet.launch("customer-service");
        for (String service : fleet.services()) {
            fleet.awaitHealthy(service);
        }

        String key = FleetCustomer.create(fleet, "Late Robotics", "pro").apiKey();
        byte[] image = Files.readAllBytes(ROOT.resolve("reference-policy/evalsets/tabletop-v1/images/0001.png"));
        String body = "{\"image\": \"" + Base64.getEncoder().encodeToString(image)
                + "\", \"instruction\": \"go to the purple tube\"}";
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(fleet.url("gateway-service", "/v1/inference"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode action = JSON.readTree(answer.body()).get("action");
        assertEquals(7, action.get("values").size());

        UUID requestId = UUID.fromString(answer.headers().firstValue("X-Request-Id").orElseThrow());
        // The usage relay delivers it within a poll interval or two.
        await().atMost(Duration.ofSeconds(30)).until(() -> billed(requestId));
    }

    private void awaitLog(String service, String line) {
        await().atMost(Duration.ofSeconds(120)).until(() -> fleet.log(service).contains(line));
    }

    private boolean billed(UUID requestId) throws Exception {
        try (Connection db = fleet.connect();
             PreparedStatement billed = db.prepareStatement("SELECT count(*) FROM billing.usage_events WHERE request_id = ?")) {
            billed.setObject(1, requestId);
            try (ResultSet rs = billed.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 1;
            }
        }
    }
}
