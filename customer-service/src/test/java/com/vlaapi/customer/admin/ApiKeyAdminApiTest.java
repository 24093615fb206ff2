package com.vlaapi.customer.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.customer.support.IntegrationTest;
import com.vlaapi.servicecontract.apikey.ApiKeyHashes;
import com.vlaapi.testsupport.http.ApiClient.Response;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class ApiKeyAdminApiTest extends IntegrationTest {

    private String customerId;
    private String firstKey;
    private String firstKeyId;

    @BeforeEach
    void createCustomer() {
        JsonNode created = createCustomer("pro").json();
        customerId = created.path("customer").path("customer_id").asString();
        firstKey = created.path("api_key").path("key").asString();
        firstKeyId = created.path("api_key").path("key_id").asString();
    }

    @Test
    void issuesASecondKeyAndListsKeysWithoutSecrets() {
        Response issued = admin.post(keysPath(), "{\"name\": \"fleet-b\"}");

        assertThat(issued.status()).isEqualTo(201);
        String secondKey = issued.json().path("key").asString();
        assertThat(secondKey).matches("^vla_live_[0-9A-Za-z]{40,}$").isNotEqualTo(firstKey);
        assertThat(issued.json().path("name").asString()).isEqualTo("fleet-b");

        Response list = admin.get(keysPath());
        assertThat(list.status()).isEqualTo(200);
        JsonNode keys = list.json().path("api_keys");
        assertThat(keys.size()).isEqualTo(2);
        assertThat(list.body()).doesNotContain(firstKey, secondKey, ApiKeyHashes.sha256Hex(firstKey));
        JsonNode listedSecond = keys.get(1);
        assertThat(listedSecond.propertyNames()).containsExactlyInAnyOrder(
                "key_id", "prefix", "name", "status", "created_at", "expires_at", "revoked_at", "last_used_at");
        assertThat(listedSecond.path("key_id").asString()).isEqualTo(issued.json().path("key_id").asString());
        assertThat(listedSecond.path("prefix").asString()).isEqualTo(secondKey.substring(0, 13));
        assertThat(listedSecond.path("status").asString()).isEqualTo("active");
        assertThat(listedSecond.path("revoked_at").isNull()).isTrue();
    }

    @Test
    void issuesAKeyWithoutABody() {
        Response issued = api.send(api.request(keysPath())
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(issued.status()).isEqualTo(201);
        assertThat(issued.json().path("name").isNull()).isTrue();
    }

    @Test
    void revokedKeysAreReportedAsRevokedToTheGateway() {
        Response revoked = admin.post(keysPath() + "/" + firstKeyId + "/revoke", "");

        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.json().path("status").asString()).isEqualTo("revoked");
        String revokedAt = revoked.json().path("revoked_at").asString();
        assertThat(revokedAt).isNotBlank();

        Response revokedAgain = admin.post(keysPath() + "/" + firstKeyId + "/revoke", "");
        assertThat(revokedAgain.status()).isEqualTo(200);
        assertThat(revokedAgain.json().path("revoked_at").asString()).isEqualTo(revokedAt);

        Response lookup = internal.get("/internal/v1/api-keys/" + ApiKeyHashes.sha256Hex(firstKey));
        assertThat(lookup.status()).isEqualTo(200);
        assertThat(lookup.json().path("key_status").asString()).isEqualTo("revoked");
        assertThat(lookup.json().path("customer_status").asString()).isEqualTo("active");
    }

    @Test
    void keysOfAnotherCustomerAreNotFound() {
        String otherCustomerId = createCustomer("free").json().path("customer").path("customer_id").asString();

        Response crossCustomer = admin.post(
                "/admin/v1/customers/" + otherCustomerId + "/api-keys/" + firstKeyId + "/revoke", "");
        Response unknownKey = admin.post(keysPath() + "/" + UUID.randomUUID() + "/revoke", "");

        for (Response response : List.of(crossCustomer, unknownKey)) {
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.errorCode()).isEqualTo("api_key_not_found");
        }
        assertThat(admin.get(keysPath()).json().path("api_keys").get(0).path("status").asString())
                .isEqualTo("active");
    }

    @Test
    void unknownCustomersHaveNoKeys() {
        String unknown = "/admin/v1/customers/" + UUID.randomUUID() + "/api-keys";

        assertThat(admin.post(unknown, "{}").errorCode()).isEqualTo("customer_not_found");
        assertThat(admin.get(unknown).errorCode()).isEqualTo("customer_not_found");
        assertThat(admin.post(unknown + "/" + firstKeyId + "/revoke", "").errorCode()).isEqualTo("customer_not_found");
        assertThat(admin.post(keysPath() + "/not-a-uuid/revoke", "").errorCode()).isEqualTo("invalid_key_id");
    }

    @Test
    void issuesAKeyThatExpires() {
        Instant before = Instant.now();
        Response issued = admin.post(keysPath(), "{\"name\": \"ci\", \"expires_in_seconds\": 3600}");

        assertThat(issued.status()).isEqualTo(201);
        assertThat(issued.json().propertyNames())
                .containsExactlyInAnyOrder("key_id", "key", "prefix", "name", "created_at", "expires_at");
        Instant expiresAt = Instant.parse(issued.json().path("expires_at").asString());
        assertThat(expiresAt).isBetween(before.plusSeconds(3590), Instant.now().plusSeconds(3610));
        JsonNode listed = admin.get(keysPath()).json().path("api_keys").get(1);
        assertThat(Instant.parse(listed.path("expires_at").asString())).isEqualTo(expiresAt);
        assertThat(listed.path("status").asString()).isEqualTo("active");
        assertThat(admin.get(keysPath()).json().path("api_keys").get(0).path("expires_at").isNull()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "157680001", "\"soon\""})
    void rejectsInvalidLifetimes(String expiresInSeconds) {
        Response rejected = admin.post(keysPath(), "{\"expires_in_seconds\": " + expiresInSeconds + "}");

        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.errorCode()).isIn("invalid_expires_in_seconds", "invalid_field_type");
        assertThat(admin.get(keysPath()).json().path("api_keys").size()).isEqualTo(1);
    }

    @Test
    void rotationKeepsBothKeysWorkingForTheGracePeriod() {
        JsonNode named = admin.post(keysPath(), "{\"name\": \"fleet-a\"}").json();
        Instant before = Instant.now();

        Response rotated = admin.post(keysPath() + "/" + named.path("key_id").asString() + "/rotate",
                "{\"grace_period_seconds\": 3600}");

        assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
        assertThat(rotated.json().propertyNames()).containsExactlyInAnyOrder("new_key", "old_key");
        JsonNode newKey = rotated.json().path("new_key");
        JsonNode oldKey = rotated.json().path("old_key");
        assertThat(newKey.propertyNames())
                .containsExactlyInAnyOrder("key_id", "key", "prefix", "name", "created_at", "expires_at");
        assertThat(newKey.path("key").asString()).matches("^vla_live_[0-9A-Za-z]{40,}$")
                .isNotEqualTo(named.path("key").asString());
        assertThat(newKey.path("name").asString()).as("keeps the old key's name").isEqualTo("fleet-a");
        assertThat(newKey.path("expires_at").isNull()).isTrue();
        assertThat(oldKey.path("key_id").asString()).isEqualTo(named.path("key_id").asString());
        assertThat(oldKey.has("key")).isFalse();
        assertThat(oldKey.path("status").asString()).isEqualTo("active");
        assertThat(Instant.parse(oldKey.path("expires_at").asString()))
                .isBetween(before.plusSeconds(3590), Instant.now().plusSeconds(3610));
        for (String key : List.of(named.path("key").asString(), newKey.path("key").asString())) {
            JsonNode lookup = lookup(key);
            assertThat(lookup.path("key_status").asString()).isEqualTo("active");
        }
        assertThat(lookup(named.path("key").asString()).path("expires_at").asString())
                .isEqualTo(oldKey.path("expires_at").asString());
        assertThat(admin.get(keysPath()).json().path("api_keys").size()).isEqualTo(3);
    }

    @Test
    void rotationDefaultsToADayOfGraceAndTakesANewName() {
        Instant before = Instant.now();

        Response rotated = admin.post(keysPath() + "/" + firstKeyId + "/rotate", "{\"name\": \"fleet-b\"}");
        Response withoutBody = api.send(api.request(keysPath() + "/" + rotated.json().path("new_key")
                        .path("key_id").asString() + "/rotate")
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(rotated.status()).isEqualTo(201);
        assertThat(rotated.json().path("new_key").path("name").asString()).isEqualTo("fleet-b");
        assertThat(Instant.parse(rotated.json().path("old_key").path("expires_at").asString()))
                .isBetween(before.plusSeconds(86_390), Instant.now().plusSeconds(86_410));
        assertThat(withoutBody.status()).isEqualTo(201);
    }

    @Test
    void rotationWithoutGraceStopsTheOldKeyAtOnce() {
        Response rotated = admin.post(keysPath() + "/" + firstKeyId + "/rotate", "{\"grace_period_seconds\": 0}");

        assertThat(rotated.status()).isEqualTo(201);
        assertThat(rotated.json().path("old_key").path("status").asString()).isEqualTo("expired");
        assertThat(lookup(firstKey).path("key_status").asString()).isEqualTo("expired");
        assertThat(lookup(rotated.json().path("new_key").path("key").asString()).path("key_status").asString())
                .isEqualTo("active");
        assertThat(admin.get(keysPath()).json().path("api_keys").get(0).path("status").asString())
                .isEqualTo("expired");

        Response again = admin.post(keysPath() + "/" + firstKeyId + "/rotate", "{}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.errorType()).isEqualTo("conflict_error");
        assertThat(again.errorCode()).isEqualTo("key_not_active");
    }

    @Test
    void rotationNeverExtendsAKeysLife() {
        JsonNode shortLived = admin.post(keysPath(), "{\"expires_in_seconds\": 600}").json();

        Response rotated = admin.post(keysPath() + "/" + shortLived.path("key_id").asString() + "/rotate",
                "{\"grace_period_seconds\": 86400, \"expires_in_seconds\": 7200}");

        assertThat(rotated.json().path("old_key").path("expires_at").asString())
                .isEqualTo(shortLived.path("expires_at").asString());
        assertThat(Instant.parse(rotated.json().path("new_key").path("expires_at").asString()))
                .isAfter(Instant.now().plusSeconds(7100));
    }

    @Test
    void revokedKeysCannotBeRotated() {
        admin.post(keysPath() + "/" + firstKeyId + "/revoke", "");

        Response rotated = admin.post(keysPath() + "/" + firstKeyId + "/rotate", "{}");

        assertThat(rotated.status()).isEqualTo(409);
        assertThat(rotated.errorCode()).isEqualTo("key_not_active");
        assertThat(admin.get(keysPath()).json().path("api_keys").size()).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"grace_period_seconds": -1}      | invalid_grace_period_seconds
            {"grace_period_seconds": 2592001} | invalid_grace_period_seconds
            {"grace_period_seconds": "long"}  | invalid_field_type
            {"expires_in_seconds": 0}         | invalid_expires_in_seconds
            {"grace": 10}                     | unknown_field
            """)
    void rejectsInvalidRotations(String body, String expectedCode) {
        Response rejected = admin.post(keysPath() + "/" + firstKeyId + "/rotate", body);

        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.errorCode()).isEqualTo(expectedCode);
        assertThat(lookup(firstKey).path("expires_at").isNull()).isTrue();
    }

    @Test
    void rotatingUnknownKeysIsNotFound() {
        String otherCustomerId = createCustomer("free").json().path("customer").path("customer_id").asString();

        Response crossCustomer = admin.post(
                "/admin/v1/customers/" + otherCustomerId + "/api-keys/" + firstKeyId + "/rotate", "{}");
        Response unknownKey = admin.post(keysPath() + "/" + UUID.randomUUID() + "/rotate", "{}");

        assertThat(crossCustomer.errorCode()).isEqualTo("api_key_not_found");
        assertThat(unknownKey.errorCode()).isEqualTo("api_key_not_found");
        assertThat(lookup(firstKey).path("expires_at").isNull()).isTrue();
    }

    @Test
    void anExpiryCanBeChangedEvenAfterTheKeyExpired() {
        admin.post(keysPath() + "/" + firstKeyId + "/rotate", "{\"grace_period_seconds\": 0}");
        Instant before = Instant.now();

        Response extended = admin.patch(keysPath() + "/" + firstKeyId, "{\"expires_in_seconds\": 600}");

        assertThat(extended.status()).isEqualTo(200);
        assertThat(extended.json().path("status").asString()).isEqualTo("active");
        assertThat(Instant.parse(extended.json().path("expires_at").asString()))
                .isBetween(before.plusSeconds(590), Instant.now().plusSeconds(610));
        assertThat(lookup(firstKey).path("key_status").asString()).isEqualTo("active");
    }

    @Test
    void invalidExpiryChangesAreRejected() {
        String keyPath = keysPath() + "/" + firstKeyId;

        assertThat(admin.patch(keyPath, "{}").errorCode()).isEqualTo("missing_field");
        assertThat(admin.patch(keyPath, "{\"expires_in_seconds\": 0}").errorCode())
                .isEqualTo("invalid_expires_in_seconds");
        assertThat(admin.patch(keyPath, "{\"name\": \"x\"}").errorCode()).isEqualTo("unknown_field");
        assertThat(admin.patch(keysPath() + "/" + UUID.randomUUID(), "{\"expires_in_seconds\": 10}").errorCode())
                .isEqualTo("api_key_not_found");
        admin.post(keyPath + "/revoke", "");
        Response revoked = admin.patch(keyPath, "{\"expires_in_seconds\": 10}");
        assertThat(revoked.status()).isEqualTo(409);
        assertThat(revoked.errorCode()).isEqualTo("key_revoked");
        assertThat(lookup(firstKey).path("expires_at").isNull()).isTrue();
    }

    private JsonNode lookup(String key) {
        Response lookup = internal.get("/internal/v1/api-keys/" + ApiKeyHashes.sha256Hex(key));
        assertThat(lookup.status()).isEqualTo(200);
        return lookup.json();
    }

    private String keysPath() {
        return "/admin/v1/customers/" + customerId + "/api-keys";
    }
}
