package com.vlaapi.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.vlaapi.bench.fleet.LocalFleet;
import com.vlaapi.referencepolicy.eval.EvalSet;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/** Data the way it gets into the database in production: a customer created through the admin API, requests through the gateway. */
public final class FleetTraffic {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private FleetTraffic() {
    }

    /**
     * Creates an enterprise customer {@code company}, sends {@code successes} held-out scenes and
     * one request that fails validation through the gateway, and returns the customer's id.
     */
    public static String serve(LocalFleet fleet, Path root, String company, int successes) throws Exception {
        FleetCustomer customer = FleetCustomer.create(fleet, company, "enterprise");
        String key = customer.apiKey();
        EvalSet scenes = EvalSet.read(root.resolve("reference-policy/evalsets/tabletop-v1"));
        for (int i = 0; i < successes; i++) {
            EvalSet.Scene scene = scenes.scenes().get(i);
            assertEquals(200, infer(fleet, key, "{\"image\": \"" + Base64.getEncoder().encodeToString(scene.imageBytes())
                    + "\", \"instruction\": \"" + scene.instruction() + "\"}").statusCode());
        }
        assertEquals(400, infer(fleet, key, "{\"image\": \"not base64!!\", \"instruction\": \"grab the ball\"}").statusCode());
        return customer.id().toString();
    }

    private static HttpResponse<String> infer(LocalFleet fleet, String key, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(fleet.url("gateway-service", "/v1/inference")).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
