package com.vlaapi.customer;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.customer.support.IntegrationTest;
import com.vlaapi.servicecontract.apikey.ApiKeyHashes;
import com.vlaapi.testsupport.clock.MutableClock;
import com.vlaapi.testsupport.http.ApiClient.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.bean.override.convention.TestBean;
import tools.jackson.databind.JsonNode;

/**
 * The service takes "now" only from its Clock bean, never from the JVM's or the database's clock.
 * Pinned away from the real time, every time it stores or compares against is exactly predictable,
 * so each assertion here fails if a single statement still reads now().
 */
class PinnedClockTest extends IntegrationTest {

    private static final Instant PINNED = Instant.parse("2027-01-01T00:00:00Z");
    private static final MutableClock CLOCK = new MutableClock(PINNED);

    @TestBean
    Clock clock;

    static Clock clock() {
        return CLOCK;
    }

    @BeforeEach
    void pinTheClock() {
        CLOCK.set(PINNED);
    }

    @Test
    void customersAndKeysAreCreatedAtTheClocksInstant() {
        JsonNode created = createCustomer("free").json();
        String customerId = created.path("customer").path("customer_id").asString();

        assertThat(instant(created.path("customer"), "created_at")).isEqualTo(PINNED);
        assertThat(instant(admin.get("/admin/v1/customers/" + customerId).json(), "created_at")).isEqualTo(PINNED);
        assertThat(instant(created.path("api_key"), "created_at")).isEqualTo(PINNED);
    }

    @Test
    void aKeyExpiresWhenTheClockReachesItsExpiry() {
        String customerId = createCustomer("pro").json().path("customer").path("customer_id").asString();
        JsonNode issued = admin.post(keysPath(customerId), "{\"expires_in_seconds\": 60}").json();
        String keyId = issued.path("key_id").asString();
        String key = issued.path("key").asString();

        assertThat(instant(issued, "expires_at")).isEqualTo(PINNED.plusSeconds(60));
        assertThat(listed(customerId, keyId).path("status").asString()).isEqualTo("active");
        assertThat(lookup(key).path("key_status").asString()).isEqualTo("active");

        CLOCK.advance(Duration.ofSeconds(59));
        assertThat(listed(customerId, keyId).path("status").asString()).isEqualTo("active");
        assertThat(lookup(key).path("key_status").asString()).isEqualTo("active");

        CLOCK.advance(Duration.ofSeconds(1));
        assertThat(listed(customerId, keyId).path("status").asString()).isEqualTo("expired");
        assertThat(lookup(key).path("key_status").asString()).isEqualTo("expired");
        assertThat(instant(lookup(key), "expires_at")).isEqualTo(PINNED.plusSeconds(60));
        Response rotated = admin.post(keysPath(customerId) + "/" + keyId + "/rotate", "{}");
        assertThat(rotated.errorCode()).as("an expired key cannot be rotated").isEqualTo("key_not_active");

        JsonNode extended = admin.patch(keysPath(customerId) + "/" + keyId, "{\"expires_in_seconds\": 600}").json();
        assertThat(instant(extended, "expires_at")).isEqualTo(PINNED.plusSeconds(60 + 600));
        assertThat(extended.path("status").asString()).isEqualTo("active");
        assertThat(lookup(key).path("key_status").asString()).isEqualTo("active");
    }

    @Test
    void aRotationsGracePeriodCountsFromTheClock() {
        JsonNode created = createCustomer("pro").json();
        String customerId = created.path("customer").path("customer_id").asString();
        String oldKey = created.path("api_key").path("key").asString();
        CLOCK.advance(Duration.ofMinutes(5));

        JsonNode rotated = admin.post(keysPath(customerId) + "/" + created.path("api_key").path("key_id").asString()
                + "/rotate", "{\"grace_period_seconds\": 3600}").json();

        Instant rotatedAt = PINNED.plus(Duration.ofMinutes(5));
        assertThat(instant(rotated.path("new_key"), "created_at")).isEqualTo(rotatedAt);
        assertThat(instant(rotated.path("old_key"), "expires_at")).isEqualTo(rotatedAt.plusSeconds(3600));
        CLOCK.set(rotatedAt.plusSeconds(3600));
        assertThat(lookup(oldKey).path("key_status").asString()).isEqualTo("expired");
        assertThat(lookup(rotated.path("new_key").path("key").asString()).path("key_status").asString())
                .isEqualTo("active");
    }

    @Test
    void aRevocationIsStampedWithTheClocksInstant() {
        JsonNode created = createCustomer("free").json();
        String keyPath = keysPath(created.path("customer").path("customer_id").asString()) + "/"
                + created.path("api_key").path("key_id").asString();
        CLOCK.advance(Duration.ofSeconds(90));

        JsonNode revoked = admin.post(keyPath + "/revoke", "").json();
        CLOCK.advance(Duration.ofSeconds(90));
        JsonNode revokedAgain = admin.post(keyPath + "/revoke", "").json();

        assertThat(instant(revoked, "revoked_at")).isEqualTo(PINNED.plusSeconds(90));
        assertThat(instant(revokedAgain, "revoked_at")).isEqualTo(PINNED.plusSeconds(90));
        assertThat(lookup(created.path("api_key").path("key").asString()).path("key_status").asString())
                .isEqualTo("revoked");
    }

    /** Whichever side of 2027 the real clock is on, one of these two answers would differ. */
    @Test
    void reportedUseMayBeAtMostAMinuteAheadOfTheClock() {
        JsonNode created = createCustomer("free").json();
        String customerId = created.path("customer").path("customer_id").asString();
        String keyId = created.path("api_key").path("key_id").asString();

        Response slightlyAhead = reportUse(keyId, PINNED.plusSeconds(30));
        Response tooFarAhead = reportUse(keyId, PINNED.plusSeconds(61));

        assertThat(slightlyAhead.status()).as(slightlyAhead.body()).isEqualTo(204);
        assertThat(instant(listed(customerId, keyId), "last_used_at")).isEqualTo(PINNED.plusSeconds(30));
        assertThat(tooFarAhead.status()).isEqualTo(400);
        assertThat(tooFarAhead.errorCode()).isEqualTo("invalid_last_used_at");
    }

    private JsonNode listed(String customerId, String keyId) {
        for (JsonNode key : admin.get(keysPath(customerId)).json().path("api_keys")) {
            if (key.path("key_id").asString().equals(keyId)) {
                return key;
            }
        }
        throw new AssertionError("no key " + keyId);
    }

    private JsonNode lookup(String key) {
        Response lookup = internal.get("/internal/v1/api-keys/" + ApiKeyHashes.sha256Hex(key));
        assertThat(lookup.status()).isEqualTo(200);
        return lookup.json();
    }

    private static String keysPath(String customerId) {
        return "/admin/v1/customers/" + customerId + "/api-keys";
    }

    private Response reportUse(String keyId, Instant at) {
        return internal.post("/internal/v1/api-keys/last-used",
                "{\"last_used\": [{\"key_id\": \"" + keyId + "\", \"at\": \"" + at + "\"}]}");
    }

    private static Instant instant(JsonNode node, String field) {
        return Instant.parse(node.path(field).asString());
    }
}
