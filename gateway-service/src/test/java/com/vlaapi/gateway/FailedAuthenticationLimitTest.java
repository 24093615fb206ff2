package com.vlaapi.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Unauthenticated traffic is limited per client address. The test client is the "proxy" on
 * 127.0.0.1, trusted to name the client in X-Forwarded-For, so it can speak for several addresses.
 */
class FailedAuthenticationLimitTest extends GatewayOnStandInsTest {

    private static final int ALLOWED = 5;

    @DynamicPropertySource
    static void limits(DynamicPropertyRegistry registry) {
        registry.add("vla.gateway.failed-authentications-per-minute", () -> Integer.toString(ALLOWED));
        registry.add("vla.gateway.trusted-proxies", () -> "127.0.0.1");
    }

    @Test
    void anAddressThatKeepsFailingIsRefusedWithoutLookupsWhileOthersAreServed() throws Exception {
        String scanner = "203.0.113.7";
        for (int i = 0; i < ALLOWED; i++) {
            HttpResponse<String> response = infer(scanner, unknownKeyWithoutChecksum());
            assertEquals(401, response.statusCode(), response.body());
        }
        int lookups = standIns.keyLookups.get();

        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = infer(scanner, unknownKeyWithoutChecksum());
            assertEquals(429, response.statusCode(), response.body());
            assertTrue(response.body().contains("\"too_many_failed_authentications\""), response.body());
            assertTrue(response.headers().firstValue("Retry-After").isPresent());
        }
        assertEquals(lookups, standIns.keyLookups.get(), "key lookups for a refused address");

        String customerKey = standIns.key(UUID.randomUUID(), "active", "pro", 1_000_000, 1_000_000);
        assertEquals(200, infer("198.51.100.20", customerKey).statusCode(), "another address with a valid key");
        assertEquals(401, infer("198.51.100.21", unknownKeyWithoutChecksum()).statusCode(),
                "another address's first failure");
    }

    /** The shape of keys issued before keys had a checksum: only a lookup can tell it is unknown. */
    private static String unknownKeyWithoutChecksum() {
        return "vla_live_" + UUID.randomUUID().toString().replace("-", "") + "abcdefghijk";
    }

    private HttpResponse<String> infer(String client, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/inference"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .header("X-Forwarded-For", client)
                .POST(HttpRequest.BodyPublishers.ofString("{\"instruction\": \"pick up the red cube\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
