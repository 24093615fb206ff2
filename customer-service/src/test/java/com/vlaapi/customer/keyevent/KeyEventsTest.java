package com.vlaapi.customer.keyevent;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.customer.support.IntegrationTest;
import com.vlaapi.customer.support.TestRedis.Subscription;
import com.vlaapi.customer.support.TestRedis;
import com.vlaapi.servicecontract.apikey.ApiKeyHashes;
import com.vlaapi.testsupport.http.ApiClient.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the gateways see in Redis when an operator changes a key or a customer. */
class KeyEventsTest extends IntegrationTest {

    /** The push must beat the gateway's 5 s in-memory TTL by far: every instance within 1 s. */
    private static final Duration DELIVERY = Duration.ofSeconds(1);
    private static final String CACHED_LOOKUP = "{\"key_status\": \"active\"}";

    private TestRedis redis;
    private Subscription<String> events;
    private String customerId;
    private String key;
    private String keyId;

    @BeforeEach
    void subscribe() {
        redis = new TestRedis();
        events = redis.subscribe(redisPrefix + "key-events");
        JsonNode created = createCustomer("free").json();
        customerId = created.path("customer").path("customer_id").asString();
        key = created.path("api_key").path("key").asString();
        keyId = created.path("api_key").path("key_id").asString();
    }

    @AfterEach
    void unsubscribe() {
        events.close();
        redis.close();
    }

    @Test
    void revokingDeletesTheCachedLookupAndPublishesTheKeysHash() throws Exception {
        String hash = ApiKeyHashes.sha256Hex(key);
        redis.set(cacheKey(hash), CACHED_LOOKUP);
        // Looked up the moment the message arrives, as a gateway reloading the key would.
        try (Subscription<String> statusOnArrival = redis.subscribe(redisPrefix + "key-events",
                message -> internal.get("/internal/v1/api-keys/" + hash).json().path("key_status").asString())) {

            assertThat(admin.post(keysPath() + "/" + keyId + "/revoke", "").status()).isEqualTo(200);

            JsonNode event = nextEvent();
            assertThat(event.propertyNames()).containsExactlyInAnyOrder("key_hashes", "customer_id", "reason");
            assertThat(hashes(event)).containsExactly(hash);
            assertThat(event.path("customer_id").asString()).isEqualTo(customerId);
            assertThat(event.path("reason").asString()).isEqualTo("revoked");
            assertThat(statusOnArrival.next(DELIVERY)).as("published after the commit").isEqualTo("revoked");
        }
        assertThat(redis.exists(cacheKey(hash))).isFalse();
    }

    @Test
    void revokingAgainPushesTheInvalidationAgain() throws Exception {
        admin.post(keysPath() + "/" + keyId + "/revoke", "");
        nextEvent();

        admin.post(keysPath() + "/" + keyId + "/revoke", "");

        assertThat(nextEvent().path("reason").asString()).isEqualTo("revoked");
    }

    @Test
    void changingTheCustomerInvalidatesAllItsKeys() throws Exception {
        String second = admin.post(keysPath(), "{}").json().path("key").asString();
        JsonNode third = admin.post(keysPath(), "{}").json();
        admin.post(keysPath() + "/" + third.path("key_id").asString() + "/revoke", "");
        nextEvent();
        List<String> allHashes = List.of(ApiKeyHashes.sha256Hex(key), ApiKeyHashes.sha256Hex(second),
                ApiKeyHashes.sha256Hex(third.path("key").asString()));
        allHashes.forEach(hash -> redis.set(cacheKey(hash), CACHED_LOOKUP));

        Response updated = admin.patch("/admin/v1/customers/" + customerId, "{\"tier\": \"enterprise\"}");

        assertThat(updated.status()).isEqualTo(200);
        JsonNode event = nextEvent();
        assertThat(hashes(event)).containsExactlyInAnyOrderElementsOf(allHashes);
        assertThat(event.path("customer_id").asString()).isEqualTo(customerId);
        assertThat(event.path("reason").asString()).isEqualTo("customer_updated");
        allHashes.forEach(hash -> assertThat(redis.exists(cacheKey(hash))).isFalse());
        JsonNode lookup = internal.get("/internal/v1/api-keys/" + ApiKeyHashes.sha256Hex(second)).json();
        assertThat(lookup.path("tier").asString()).isEqualTo("enterprise");
        assertThat(lookup.path("monthly_quota").asLong()).isEqualTo(1_000_000);
        assertThat(lookup.path("rate_limit_per_minute").asInt()).isEqualTo(6_000);
    }

    @Test
    void suspendingTheCustomerIsPushedToo() throws Exception {
        admin.patch("/admin/v1/customers/" + customerId, "{\"status\": \"suspended\"}");

        JsonNode event = nextEvent();
        assertThat(event.path("reason").asString()).isEqualTo("customer_updated");
        assertThat(hashes(event)).containsExactly(ApiKeyHashes.sha256Hex(key));
        assertThat(internal.get("/internal/v1/api-keys/" + ApiKeyHashes.sha256Hex(key)).json()
                .path("customer_status").asString()).isEqualTo("suspended");
    }

    @Test
    void rotatingInvalidatesTheOldKeyOnly() throws Exception {
        String hash = ApiKeyHashes.sha256Hex(key);
        redis.set(cacheKey(hash), CACHED_LOOKUP);

        Response rotated = admin.post(keysPath() + "/" + keyId + "/rotate", "{\"grace_period_seconds\": 60}");

        assertThat(rotated.status()).isEqualTo(201);
        JsonNode event = nextEvent();
        assertThat(hashes(event)).containsExactly(hash);
        assertThat(event.path("reason").asString()).isEqualTo("rotated");
        assertThat(redis.exists(cacheKey(hash))).isFalse();
    }

    @Test
    void changingAnExpiryIsPushed() throws Exception {
        admin.patch(keysPath() + "/" + keyId, "{\"expires_in_seconds\": 600}");

        JsonNode event = nextEvent();
        assertThat(hashes(event)).containsExactly(ApiKeyHashes.sha256Hex(key));
        assertThat(event.path("reason").asString()).isEqualTo("expiry_changed");
    }

    @Test
    void rejectedChangesPublishNothing() throws Exception {
        admin.post(keysPath() + "/" + keyId + "/revoke", "");
        nextEvent();

        Response rotateRevoked = admin.post(keysPath() + "/" + keyId + "/rotate", "");
        Response invalidTier = admin.patch("/admin/v1/customers/" + customerId, "{\"tier\": \"gold\"}");
        Response newKey = admin.post(keysPath(), "{}");

        assertThat(rotateRevoked.status()).isEqualTo(409);
        assertThat(invalidTier.status()).isEqualTo(400);
        assertThat(newKey.status()).as("a new key has nothing cached yet").isEqualTo(201);
        assertThat(events.next(Duration.ofMillis(500))).isNull();
    }

    private JsonNode nextEvent() throws InterruptedException {
        String message = events.next(DELIVERY);
        assertThat(message).as("key event within " + DELIVERY).isNotNull();
        return JsonMapper.shared().readTree(message);
    }

    private static List<String> hashes(JsonNode event) {
        List<String> hashes = new ArrayList<>();
        event.path("key_hashes").forEach(hash -> hashes.add(hash.asString()));
        return hashes;
    }

    private static String cacheKey(String hash) {
        return redisPrefix + "apikey:" + hash;
    }

    private String keysPath() {
        return "/admin/v1/customers/" + customerId + "/api-keys";
    }
}
