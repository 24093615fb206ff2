package com.vlaapi.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * customer-service down does not take the API down: keys the gateways have resolved before are
 * answered from their last known state, even once the ordinary caches have expired.
 */
class CustomerServiceDownTest extends GatewayOnStandInsTest {

    @Autowired
    MeterRegistry meters;

    /** The fresh caches expire at once: every request needs customer-service or the last known state. */
    @DynamicPropertySource
    static void noFreshCaches(DynamicPropertyRegistry registry) {
        registry.add("vla.gateway.key-cache-ttl", () -> "1ms");
        registry.add("vla.gateway.local-key-cache-ttl", () -> "1ms");
    }

    @Test
    void knownKeysAreServedWhileCustomerServiceIsDownAndUnknownOnesAreNot() throws Exception {
        String known = standIns.key(UUID.randomUUID(), "active", "pro", 100_000, 100_000);
        String neverSeen = standIns.key(UUID.randomUUID(), "active", "pro", 100_000, 100_000);
        assertEquals(200, infer(known).statusCode());

        standIns.customerService.stop(0);

        HttpResponse<String> served = infer(known);
        assertEquals(200, served.statusCode(), served.body());
        assertTrue(meters.counter("vla.gateway.keys.stale.answers").count() >= 1);
        HttpResponse<String> refused = infer(neverSeen);
        assertEquals(503, refused.statusCode(), refused.body());
    }

    private HttpResponse<String> infer(String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/inference"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"instruction\": \"pick up the red cube\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
