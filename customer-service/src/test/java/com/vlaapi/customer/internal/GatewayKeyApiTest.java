package com.vlaapi.customer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.customer.support.IntegrationTest;
import com.vlaapi.servicecontract.apikey.ApiKeyHashes;
import com.vlaapi.testsupport.http.ApiClient.Response;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

class GatewayKeyApiTest extends IntegrationTest {

    @Test
    void looksUpAKeyByItsHash() {
        JsonNode created = admin.post("/admin/v1/customers", """
                {"company_name": "Lookup Ltd", "email": "lookup@ltd.example", "tier": "enterprise",
                 "rate_limit_per_minute": 7000}""").json();
        String key = created.path("api_key").path("key").asString();

        Response lookup = internal.get("/internal/v1/api-keys/" + ApiKeyHashes.sha256Hex(key));

        assertThat(lookup.status()).isEqualTo(200);
        JsonNode found = lookup.json();
        assertThat(found.propertyNames()).containsExactlyInAnyOrder("key_id", "customer_id", "key_status",
                "customer_status", "tier", "monthly_quota", "rate_limit_per_minute", "metered", "expires_at");
        assertThat(found.path("key_id").asString()).isEqualTo(created.path("api_key").path("key_id").asString());
        assertThat(found.path("customer_id").asString())
                .isEqualTo(created.path("customer").path("customer_id").asString());
        assertThat(found.path("key_status").asString()).isEqualTo("active");
        assertThat(found.path("customer_status").asString()).isEqualTo("active");
        assertThat(found.path("tier").asString()).isEqualTo("enterprise");
        assertThat(found.path("monthly_quota").asLong()).isEqualTo(1_000_000);
        assertThat(found.path("rate_limit_per_minute").asInt()).isEqualTo(7_000);
        assertThat(found.path("metered").asBoolean()).isTrue();
        assertThat(found.path("expires_at").isNull()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"free, false", "pro, false", "enterprise, true"})
    void theLookupSaysWhetherTheTierIsMetered(String tier, boolean metered) {
        String key = createCustomer(tier).json().path("api_key").path("key").asString();

        JsonNode found = internal.get("/internal/v1/api-keys/" + ApiKeyHashes.sha256Hex(key)).json();

        assertThat(found.path("metered").isBoolean()).isTrue();
        assertThat(found.path("metered").asBoolean()).isEqualTo(metered);
    }

    @Test
    void aCustomerMovedToAnotherTierIsMeteredAsThatTier() {
        JsonNode created = createCustomer("pro").json();
        String lookupPath = "/internal/v1/api-keys/" + ApiKeyHashes.sha256Hex(created.path("api_key").path("key").asString());
        assertThat(internal.get(lookupPath).json().path("metered").asBoolean()).isFalse();

        admin.patch("/admin/v1/customers/" + created.path("customer").path("customer_id").asString(),
                "{\"tier\": \"enterprise\"}");

        assertThat(internal.get(lookupPath).json().path("metered").asBoolean()).isTrue();
    }

    @Test
    void aLookupWritesNothing() {
        JsonNode created = createCustomer("free").json();
        String keysPath = "/admin/v1/customers/" + created.path("customer").path("customer_id").asString() + "/api-keys";

        internal.get("/internal/v1/api-keys/" + ApiKeyHashes.sha256Hex(created.path("api_key").path("key").asString()));

        assertThat(admin.get(keysPath).json().path("api_keys").get(0).path("last_used_at").isNull()).isTrue();
    }

    @Test
    void expiredKeysAreReportedAsExpiredWhileTheirStoredStatusStaysActive() throws Exception {
        JsonNode created = createCustomer("free").json();
        String keyId = created.path("api_key").path("key_id").asString();
        String lookupPath = "/internal/v1/api-keys/" + ApiKeyHashes.sha256Hex(created.path("api_key").path("key").asString());
        try (Connection connection = database.connect();
             PreparedStatement expire = connection.prepareStatement(
                     "UPDATE customer.api_keys SET expires_at = now() - interval '1 second' WHERE key_id = ?::uuid")) {
            expire.setString(1, keyId);
            assertThat(expire.executeUpdate()).isEqualTo(1);
        }

        JsonNode lookup = internal.get(lookupPath).json();

        assertThat(lookup.path("key_status").asString()).isEqualTo("expired");
        assertThat(Instant.parse(lookup.path("expires_at").asString())).isBefore(Instant.now());
        assertThat(storedStatus(keyId)).isEqualTo("active");
    }

    @Test
    void aKeyExpiresOnTimeWithoutAnyWrite() throws Exception {
        JsonNode created = admin.post("/admin/v1/customers", """
                {"company_name": "Brief Inc", "email": "brief@inc.example", "tier": "free", "expires_in_seconds": 1}""")
                .json();
        String lookupPath = "/internal/v1/api-keys/" + ApiKeyHashes.sha256Hex(created.path("api_key").path("key").asString());
        Instant expiresAt = Instant.parse(created.path("api_key").path("expires_at").asString());
        assertThat(internal.get(lookupPath).json().path("key_status").asString()).isEqualTo("active");

        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis()) + 200);

        JsonNode lookup = internal.get(lookupPath).json();
        assertThat(lookup.path("key_status").asString()).isEqualTo("expired");
        assertThat(Instant.parse(lookup.path("expires_at").asString())).isEqualTo(expiresAt);
        assertThat(storedStatus(created.path("api_key").path("key_id").asString())).isEqualTo("active");
    }

    @Test
    void recordsReportedUseOfTheGivenKeysKeepingTheLatest() {
        String customerId = createCustomer("free").json().path("customer").path("customer_id").asString();
        String keysPath = "/admin/v1/customers/" + customerId + "/api-keys";
        String first = admin.post(keysPath, "{}").json().path("key_id").asString();
        String second = admin.post(keysPath, "{}").json().path("key_id").asString();
        String untouched = admin.post(keysPath, "{}").json().path("key_id").asString();
        Instant earlier = Instant.now().minusSeconds(3_600).truncatedTo(ChronoUnit.MILLIS);
        Instant later = earlier.plusSeconds(600);
        Instant latest = Instant.now().plusSeconds(30).truncatedTo(ChronoUnit.MILLIS);

        Response reported = internal.post("/internal/v1/api-keys/last-used", lastUsed(
                use(first, later), use(first, earlier), use(second, earlier), use(UUID.randomUUID().toString(), later)));
        Response olderReport = internal.post("/internal/v1/api-keys/last-used", lastUsed(
                use(first, earlier), use(second, latest)));

        assertThat(reported.status()).as(reported.body()).isEqualTo(204);
        assertThat(reported.body()).isEmpty();
        assertThat(olderReport.status()).isEqualTo(204);
        assertThat(lastUsedAt(keysPath, first)).isEqualTo(later);
        assertThat(lastUsedAt(keysPath, second)).as("a gateway clock slightly ahead is accepted").isEqualTo(latest);
        assertThat(lastUsedAt(keysPath, untouched)).isNull();
    }

    @Test
    void acceptsTenThousandEntriesAndNoMore() {
        String key = createCustomer("free").json().path("api_key").path("key_id").asString();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<String> entries = new ArrayList<>();
        entries.add(use(key, at));
        while (entries.size() < 10_000) {
            entries.add(use(UUID.randomUUID().toString(), at));
        }

        Response full = internal.post("/internal/v1/api-keys/last-used", lastUsed(entries.toArray(String[]::new)));
        entries.add(use(key, at));
        Response tooMany = internal.post("/internal/v1/api-keys/last-used", lastUsed(entries.toArray(String[]::new)));

        assertThat(full.status()).as(full.body()).isEqualTo(204);
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.errorCode()).isEqualTo("too_many_entries");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {}                                                                          | missing_field
            {"last_used": [{"key_id": "00000000-0000-0000-0000-000000000001"}]}         | missing_field
            {"last_used": [{"at": "2026-01-01T00:00:00Z"}]}                             | missing_field
            {"last_used": [null]}                                                       | missing_field
            {"last_used": [{"key_id": "nope", "at": "2026-01-01T00:00:00Z"}]}           | invalid_field_type
            {"last_used": [{"key_id": "00000000-0000-0000-0000-000000000001", "at": "yesterday"}]} | invalid_field_type
            {"last_used": [{"key_id": "00000000-0000-0000-0000-000000000001", "at": "2999-01-01T00:00:00Z"}]} | invalid_last_used_at
            {"last_used": [], "extra": 1}                                               | unknown_field
            """)
    void rejectsInvalidReports(String body, String expectedCode) {
        Response rejected = internal.post("/internal/v1/api-keys/last-used", body);

        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.errorCode()).isEqualTo(expectedCode);
    }

    @Test
    void anEmptyReportIsFine() {
        assertThat(internal.post("/internal/v1/api-keys/last-used", "{\"last_used\": []}").status()).isEqualTo(204);
    }

    @Test
    void reportingUseRequiresTheInternalToken() {
        Response withAdminToken = api.send(api.request("/internal/v1/api-keys/last-used")
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"last_used\": []}")));

        assertThat(withAdminToken.status()).isEqualTo(401);
        assertThat(withAdminToken.errorCode()).isEqualTo("missing_internal_token");
    }

    @Test
    void acceptsAnUppercaseHash() {
        String key = createCustomer("free").json().path("api_key").path("key").asString();

        Response lookup = internal.get("/internal/v1/api-keys/" + ApiKeyHashes.sha256Hex(key).toUpperCase(Locale.ROOT));

        assertThat(lookup.status()).isEqualTo(200);
    }

    @Test
    void unknownHashIsNotFound() {
        Response lookup = internal.get("/internal/v1/api-keys/" + ApiKeyHashes.sha256Hex("vla_live_unknown"));

        assertThat(lookup.status()).isEqualTo(404);
        assertThat(lookup.errorType()).isEqualTo("not_found_error");
        assertThat(lookup.errorCode()).isEqualTo("api_key_not_found");
    }

    @Test
    void malformedHashIsABadRequest() {
        for (String malformed : new String[] {"abc", "z".repeat(64), "a".repeat(65)}) {
            Response lookup = internal.get("/internal/v1/api-keys/" + malformed);

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

    private static String use(String keyId, Instant at) {
        return "{\"key_id\": \"" + keyId + "\", \"at\": \"" + at + "\"}";
    }

    private static String lastUsed(String... entries) {
        return "{\"last_used\": [" + String.join(", ", entries) + "]}";
    }

    private Instant lastUsedAt(String keysPath, String keyId) {
        for (JsonNode key : admin.get(keysPath).json().path("api_keys")) {
            if (key.path("key_id").asString().equals(keyId)) {
                return key.path("last_used_at").isNull() ? null : Instant.parse(key.path("last_used_at").asString());
            }
        }
        throw new AssertionError("no key " + keyId);
    }

    private static String storedStatus(String keyId) throws Exception {
        try (Connection connection = database.connect();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT status FROM customer.api_keys WHERE key_id = ?::uuid")) {
            query.setString(1, keyId);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                return row.getString(1);
            }
        }
    }
}
