package com.vlaapi.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A revoked key stops working on every gateway instance within a second: customer-service's key
 * event (as it publishes it: delete the Redis entry, then announce the hash) reaches both.
 */
class KeyRevocationTest {

    private static final StandIns standIns = new StandIns();
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        first = standIns.startGateway(Map.of());
        second = standIns.startGateway(Map.of());
    }

    @AfterAll
    static void stop() {
        standIns.deleteKeys(first.getBean(StringRedisTemplate.class));
        first.close();
        second.close();
        standIns.close();
    }

    private int status(ConfigurableApplicationContext gateway, String key) throws Exception {
        int port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/inference"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void revokedKeyFailsOnBothInstancesWithinOneSecond() throws Exception {
        UUID customer = UUID.randomUUID();
        String key = standIns.key(customer, "active", "pro", 100_000, 100_000);
        assertEquals(200, status(first, key));
        assertEquals(200, status(second, key));
        int lookups = standIns.keyLookups.get();
        assertEquals(200, status(first, key), "served from cache");
        assertEquals(lookups, standIns.keyLookups.get());

        StringRedisTemplate redis = first.getBean(StringRedisTemplate.class);
        String hash = StandIns.sha256(key);
        standIns.revoke(key);
        redis.delete(standIns.redisPrefix + "apikey:" + hash);
        redis.convertAndSend(standIns.redisPrefix + "key-events",
                "{\"key_hashes\": [\"" + hash + "\"], \"customer_id\": \"" + customer + "\", \"reason\": \"revoked\"}");
        long revokedAt = System.nanoTime();

        boolean firstRejects = false;
        boolean secondRejects = false;
        while (System.nanoTime() - revokedAt < Duration.ofSeconds(1).toNanos() && !(firstRejects && secondRejects)) {
            firstRejects = firstRejects || status(first, key) == 401;
            secondRejects = secondRejects || status(second, key) == 401;
        }
        long tookMs = (System.nanoTime() - revokedAt) / 1_000_000;
        assertTrue(firstRejects && secondRejects, "both instances reject the revoked key within 1 s (took " + tookMs + " ms)");
        assertEquals(401, status(first, key));
        assertEquals(401, status(second, key));
    }
}
