package com.vlaapi.customer.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.customer.apikey.ApiKeyHashes;
import com.vlaapi.customer.support.ApiClient.Response;
import com.vlaapi.customer.support.IntegrationTest;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ApiKeyAdminApiTest extends IntegrationTest {

    private String customerId;
    private String firstKey;
    private String firstKeyId;

    @BeforeEach
    void createCustomer() {
        JsonNode created = api.createCustomer("pro").json();
        customerId = created.path("customer").path("customer_id").asString();
        firstKey = created.path("api_key").path("key").asString();
        firstKeyId = created.path("api_key").path("key_id").asString();
    }

    @Test
    void issuesASecondKeyAndListsKeysWithoutSecrets() {
        Response issued = api.adminPost(keysPath(), "{\"name\": \"fleet-b\"}");

        assertThat(issued.status()).isEqualTo(201);
        String secondKey = issued.json().path("key").asString();
        assertThat(secondKey).matches("^vla_live_[0-9A-Za-z]{40,}$").isNotEqualTo(firstKey);
        assertThat(issued.json().path("name").asString()).isEqualTo("fleet-b");

        Response list = api.adminGet(keysPath());
        assertThat(list.status()).isEqualTo(200);
        JsonNode keys = list.json().path("api_keys");
        assertThat(keys.size()).isEqualTo(2);
        assertThat(list.body()).doesNotContain(firstKey, secondKey, ApiKeyHashes.sha256Hex(firstKey));
        JsonNode listedSecond = keys.get(1);
        assertThat(listedSecond.propertyNames()).containsExactlyInAnyOrder(
                "key_id", "prefix", "name", "status", "created_at", "revoked_at", "last_used_at");
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
        Response revoked = api.adminPost(keysPath() + "/" + firstKeyId + "/revoke", "");

        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.json().path("status").asString()).isEqualTo("revoked");
        String revokedAt = revoked.json().path("revoked_at").asString();
        assertThat(revokedAt).isNotBlank();

        Response revokedAgain = api.adminPost(keysPath() + "/" + firstKeyId + "/revoke", "");
        assertThat(revokedAgain.status()).isEqualTo(200);
        assertThat(revokedAgain.json().path("revoked_at").asString()).isEqualTo(revokedAt);

        Response lookup = api.internalGet("/internal/v1/api-keys/" + ApiKeyHashes.sha256Hex(firstKey));
        assertThat(lookup.status()).isEqualTo(200);
        assertThat(lookup.json().path("key_status").asString()).isEqualTo("revoked");
        assertThat(lookup.json().path("customer_status").asString()).isEqualTo("active");
    }

    @Test
    void keysOfAnotherCustomerAreNotFound() {
        String otherCustomerId = api.createCustomer("free").json().path("customer").path("customer_id").asString();

        Response crossCustomer = api.adminPost(
                "/admin/v1/customers/" + otherCustomerId + "/api-keys/" + firstKeyId + "/revoke", "");
        Response unknownKey = api.adminPost(keysPath() + "/" + UUID.randomUUID() + "/revoke", "");

        for (Response response : List.of(crossCustomer, unknownKey)) {
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.errorCode()).isEqualTo("api_key_not_found");
        }
        assertThat(api.adminGet(keysPath()).json().path("api_keys").get(0).path("status").asString())
                .isEqualTo("active");
    }

    @Test
    void unknownCustomersHaveNoKeys() {
        String unknown = "/admin/v1/customers/" + UUID.randomUUID() + "/api-keys";

        assertThat(api.adminPost(unknown, "{}").errorCode()).isEqualTo("customer_not_found");
        assertThat(api.adminGet(unknown).errorCode()).isEqualTo("customer_not_found");
        assertThat(api.adminPost(unknown + "/" + firstKeyId + "/revoke", "").errorCode()).isEqualTo("customer_not_found");
        assertThat(api.adminPost(keysPath() + "/not-a-uuid/revoke", "").errorCode()).isEqualTo("invalid_key_id");
    }

    private String keysPath() {
        return "/admin/v1/customers/" + customerId + "/api-keys";
    }
}
