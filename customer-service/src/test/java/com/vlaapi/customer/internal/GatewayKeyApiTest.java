package com.vlaapi.customer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.customer.apikey.ApiKeyHashes;
import com.vlaapi.customer.support.ApiClient.Response;
import com.vlaapi.customer.support.IntegrationTest;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class GatewayKeyApiTest extends IntegrationTest {

    @Test
    void looksUpAKeyByItsHash() {
        JsonNode created = api.adminPost("/admin/v1/customers", """
                {"company_name": "Lookup Ltd", "email": "lookup@ltd.example", "tier": "enterprise",
                 "rate_limit_per_minute": 7000}""").json();
        String key = created.path("api_key").path("key").asString();

        Response lookup = api.internalGet("/internal/v1/api-keys/" + ApiKeyHashes.sha256Hex(key));

        assertThat(lookup.status()).isEqualTo(200);
        JsonNode found = lookup.json();
        assertThat(found.propertyNames()).containsExactlyInAnyOrder("key_id", "customer_id", "key_status",
                "customer_status", "tier", "monthly_quota", "rate_limit_per_minute");
        assertThat(found.path("key_id").asString()).isEqualTo(created.path("api_key").path("key_id").asString());
        assertThat(found.path("customer_id").asString())
                .isEqualTo(created.path("customer").path("customer_id").asString());
        assertThat(found.path("key_status").asString()).isEqualTo("active");
        assertThat(found.path("customer_status").asString()).isEqualTo("active");
        assertThat(found.path("tier").asString()).isEqualTo("enterprise");
        assertThat(found.path("monthly_quota").asLong()).isEqualTo(1_000_000);
        assertThat(found.path("rate_limit_per_minute").asInt()).isEqualTo(7_000);
    }

    @Test
    void recordsWhenAKeyWasLastUsed() {
        JsonNode created = api.createCustomer("free").json();
        String keysPath = "/admin/v1/customers/" + created.path("customer").path("customer_id").asString() + "/api-keys";
        assertThat(api.adminGet(keysPath).json().path("api_keys").get(0).path("last_used_at").isNull()).isTrue();

        api.internalGet("/internal/v1/api-keys/" + ApiKeyHashes.sha256Hex(created.path("api_key").path("key").asString()));

        assertThat(api.adminGet(keysPath).json().path("api_keys").get(0).path("last_used_at").asString()).isNotBlank();
    }

    @Test
    void acceptsAnUppercaseHash() {
        String key = api.createCustomer("free").json().path("api_key").path("key").asString();

        Response lookup = api.internalGet("/internal/v1/api-keys/" + ApiKeyHashes.sha256Hex(key).toUpperCase(Locale.ROOT));

        assertThat(lookup.status()).isEqualTo(200);
    }

    @Test
    void unknownHashIsNotFound() {
        Response lookup = api.internalGet("/internal/v1/api-keys/" + ApiKeyHashes.sha256Hex("vla_live_unknown"));

        assertThat(lookup.status()).isEqualTo(404);
        assertThat(lookup.errorType()).isEqualTo("not_found_error");
        assertThat(lookup.errorCode()).isEqualTo("api_key_not_found");
    }

    @Test
    void malformedHashIsABadRequest() {
        for (String malformed : new String[] {"abc", "z".repeat(64), "a".repeat(65)}) {
            Response lookup = api.internalGet("/internal/v1/api-keys/" + malformed);

            assertThat(lookup.status()).isEqualTo(400);
            assertThat(lookup.errorCode()).isEqualTo("invalid_key_hash");
        }
    }

    @Test
    void requiresTheInternalToken() {
        String path = "/internal/v1/api-keys/" + ApiKeyHashes.sha256Hex("anything");

        Response missing = api.send(api.request(path).GET());
        Response wrong = api.send(api.request(path).header("X-Internal-Token", INTERNAL_TOKEN + "x").GET());
        Response adminToken = api.send(api.request(path).header("X-Internal-Token", ADMIN_TOKEN)
                .header("Authorization", "Bearer " + ADMIN_TOKEN).GET());

        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.errorType()).isEqualTo("authentication_error");
        assertThat(missing.errorCode()).isEqualTo("missing_internal_token");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.errorCode()).isEqualTo("invalid_internal_token");
        assertThat(adminToken.status()).isEqualTo(401);
        assertThat(adminToken.errorCode()).isEqualTo("invalid_internal_token");
    }
}
