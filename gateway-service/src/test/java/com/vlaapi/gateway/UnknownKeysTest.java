package com.vlaapi.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Keys nobody has are cheap: a well-formed key whose checksum does not hold is turned away
 * without any lookup, an unknown key without a checksum (the shape of keys issued before there
 * was one) is looked up once and then answered from the unknown-key cache, and neither pushes a
 * customer's real key out of the cache.
 */
class UnknownKeysTest extends GatewayOnStandInsTest {

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Long enough that no cache entry expires during the test, however slow the machine. */
    @DynamicPropertySource
    static void keepCachedKeys(DynamicPropertyRegistry registry) {
        registry.add("vla.gateway.key-cache-ttl", () -> "1h");
        registry.add("vla.gateway.local-key-cache-ttl", () -> "1h");
        registry.add("vla.gateway.unknown-key-cache-ttl", () -> "1h");
        // Every request here comes from one address: its failed authentications are not what is tested.
        registry.add("vla.gateway.failed-authentications-per-minute", () -> "100000000");
    }

    @Test
    void tenThousandRandomWellFormedKeysCauseNoLookupAndTheRealKeyStaysCached() throws Exception {
        String realKey = standIns.key(UUID.randomUUID(), "active", "pro", 1_000_000, 1_000_000);
        assertEquals(200, infer(realKey).statusCode());
        int lookupsBefore = standIns.keyLookups.get();

        for (int i = 0; i < 10_000; i++) {
            HttpResponse<String> response = infer("vla_live_" + randomBase62(49));
            assertEquals(401, response.statusCode(), response.body());
            assertTrue(response.body().contains("\"invalid_api_key\""), response.body());
        }
        assertEquals(lookupsBefore, standIns.keyLookups.get(), "lookups at customer-service for random keys");

        assertEquals(200, infer(realKey).statusCode());
        assertEquals(lookupsBefore, standIns.keyLookups.get(), "the real key was answered from the cache");
    }

    @Test
    void anUnknownKeyWithoutChecksumIsLookedUpOnce() throws Exception {
        String unknown = "vla_live_" + randomBase62(43);
        int lookupsBefore = standIns.keyLookups.get();
        for (int i = 0; i < 20; i++) {
            assertEquals(401, infer(unknown).statusCode());
        }
        assertEquals(lookupsBefore + 1, standIns.keyLookups.get());
    }

    private HttpResponse<String> infer(String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/inference"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"instruction\": \"pick up the red cube\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String randomBase62(int length) {
        StringBuilder chars = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            chars.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
        }
        return chars.toString();
    }
}
