package com.vlaapi.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.vlaapi.servicecontract.apikey.ApiKeyHashes;
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
 * A revoked key stops working on every gateway instance because of customer-service's key event
 * (as it publishes it: delete the Redis entry, then announce the hash), not because a cache
 * expired: the caches here keep keys for an hour. How fast the event travels is a timing claim for
 * bench/, not this test.
 */
class KeyRevocationTest {

    private static final StandIns standIns = new StandIns();
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Caches that outlive the test: only the key event can make a gateway forget the key. */
    private static final Map<String, String> LONG_CACHES = Map.of(
            "vla.gateway.key-cache-ttl", "1h", "vla.gateway.local-key-cache-ttl", "1h");

    @BeforeAll
    static void start() {
        first = standIns.startGateway(LONG_CACHES);
        second = standIns.startGateway(LONG_CACHES);
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
    void revokedKeyFailsOnBothInstancesOnceTheKeyEventArrives() throws Exception {
        UUID customer = UUID.randomUUID();
        String key = standIns.key(customer, "active", "pro", 100_000, 100_000);
        assertEquals(200, status(first, key));
        assertEquals(200, status(second, key));
        int lookups = standIns.keyLookups.get();
        assertEquals(200, status(first, key), "served from cache");
        assertEquals(lookups, standIns.keyLookups.get());

        StringRedisTemplate redis = first.getBean(StringRedisTemplate.class);
        String hash = ApiKeyHashes.sha256Hex(key);
        standIns.revoke(key);
        redis.delete(standIns.redisPrefix + "apikey:" + hash);
        redis.convertAndSend(standIns.redisPrefix + "key-events",
                "{\"key_hashes\": [\"" + hash + "\"], \"customer_id\": \"" + customer + "\", \"reason\": \"revoked\"}");

        await("both instances reject the revoked key").atMost(Duration.ofSeconds(30))
                .until(() -> status(first, key) == 401 && status(second, key) == 401);
        assertEquals(401, status(first, key));
        assertEquals(401, status(second, key));
    }
}
