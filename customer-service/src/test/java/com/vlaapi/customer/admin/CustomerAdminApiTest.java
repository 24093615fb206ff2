package com.vlaapi.customer.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.customer.support.IntegrationTest;
import com.vlaapi.servicecontract.apikey.ApiKeyHashes;
import com.vlaapi.testsupport.http.ApiClient.Response;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

class CustomerAdminApiTest extends IntegrationTest {

    @Test
    void createsCustomerWithAKeyShownOnceAndStoredOnlyAsItsHash() throws Exception {
        Response created = admin.post("/admin/v1/customers", """
                {"company_name": "Acme Robotics", "email": "ops@acme.example", "tier": "pro", "key_name": "fleet-a"}""");

        assertThat(created.status()).isEqualTo(201);
        JsonNode customer = created.json().path("customer");
        JsonNode apiKey = created.json().path("api_key");
        String customerId = customer.path("customer_id").asString();
        String key = apiKey.path("key").asString();
        assertThat(created.headers().firstValue("Location")).hasValue("/admin/v1/customers/" + customerId);
        assertThat(customer.path("company_name").asString()).isEqualTo("Acme Robotics");
        assertThat(customer.path("email").asString()).isEqualTo("ops@acme.example");
        assertThat(customer.path("status").asString()).isEqualTo("active");
        assertThat(Instant.parse(customer.path("created_at").asString())).isBefore(Instant.now().plusSeconds(5));
        assertThat(key).matches("^vla_live_[0-9A-Za-z]{40,}$");
        assertThat(apiKey.path("prefix").asString()).isEqualTo(key.substring(0, 13));
        assertThat(apiKey.path("name").asString()).isEqualTo("fleet-a");
        assertThat(apiKey.path("key_id").asString()).isNotBlank();

        assertThat(admin.get("/admin/v1/customers/" + customerId).body()).doesNotContain(key);
        assertThat(admin.get("/admin/v1/customers/" + customerId + "/api-keys").body()).doesNotContain(key);
        assertThat(admin.get("/admin/v1/customers").body()).doesNotContain(key);
        try (Connection connection = database.connect()) {
            assertThat(storedKeyHashes(connection, customerId)).containsExactly(ApiKeyHashes.sha256Hex(key));
            assertThat(textColumnsContaining(connection, key.substring("vla_live_".length()))).isEmpty();
        }
    }

    @ParameterizedTest
    @CsvSource({"free, 10000, 60", "pro, 100000, 600", "enterprise, 1000000, 6000", "Pro, 100000, 600"})
    void appliesTheTierLimitsByDefault(String tier, long monthlyQuota, int rateLimitPerMinute) {
        JsonNode customer = createCustomer(tier).json().path("customer");

        assertThat(customer.path("tier").asString()).isEqualTo(tier.toLowerCase());
        assertThat(customer.path("monthly_quota").asLong()).isEqualTo(monthlyQuota);
        assertThat(customer.path("rate_limit_per_minute").asInt()).isEqualTo(rateLimitPerMinute);
    }

    @Test
    void explicitLimitsOverrideTheTierDefaults() {
        Response created = admin.post("/admin/v1/customers", """
                {"company_name": "Big Lab", "email": "big@lab.example", "tier": "enterprise",
                 "monthly_quota": 5000000, "rate_limit_per_minute": 20000}""");

        JsonNode customer = created.json().path("customer");
        assertThat(customer.path("monthly_quota").asLong()).isEqualTo(5_000_000);
        assertThat(customer.path("rate_limit_per_minute").asInt()).isEqualTo(20_000);
    }

    @Test
    void listsAndGetsCustomers() {
        JsonNode first = createCustomer("free").json().path("customer");
        JsonNode second = createCustomer("pro").json().path("customer");

        Response list = admin.get("/admin/v1/customers");
        assertThat(list.status()).isEqualTo(200);
        List<String> listedIds = new ArrayList<>();
        list.json().path("customers").forEach(customer -> listedIds.add(customer.path("customer_id").asString()));
        assertThat(listedIds).contains(first.path("customer_id").asString(), second.path("customer_id").asString());

        Response got = admin.get("/admin/v1/customers/" + second.path("customer_id").asString());
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json()).isEqualTo(second);
    }

    @Test
    void unknownCustomerIsNotFoundAndAMalformedIdIsABadRequest() {
        Response unknown = admin.get("/admin/v1/customers/" + UUID.randomUUID());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorType()).isEqualTo("not_found_error");
        assertThat(unknown.errorCode()).isEqualTo("customer_not_found");

        Response malformed = admin.get("/admin/v1/customers/not-a-uuid");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.errorType()).isEqualTo("invalid_request_error");
        assertThat(malformed.errorCode()).isEqualTo("invalid_customer_id");
    }

    @Test
    void anEmailHasOneAccountWhateverItsCase() {
        String body = """
                {"company_name": "Twice Inc", "email": "%s", "tier": "free"}""";
        assertThat(admin.post("/admin/v1/customers", body.formatted("dup@twice.example")).status()).isEqualTo(201);

        Response duplicate = admin.post("/admin/v1/customers", body.formatted("DUP@Twice.example"));

        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.errorType()).isEqualTo("conflict_error");
        assertThat(duplicate.errorCode()).isEqualTo("email_taken");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"email": "a@b.example", "tier": "free"}                                              | missing_field
            {"company_name": " ", "email": "a@b.example", "tier": "free"}                         | missing_field
            {"company_name": "A", "tier": "free"}                                                 | missing_field
            {"company_name": "A", "email": "a@b.example"}                                         | missing_field
            {"company_name": "A", "email": "not-an-email", "tier": "free"}                        | invalid_email
            {"company_name": "A", "email": "a@b.example", "tier": "gold"}                         | invalid_tier
            {"company_name": "A", "email": "a@b.example", "tier": "free", "monthly_quota": 0}     | invalid_quota
            {"company_name": "A", "email": "a@b.example", "tier": "free", "monthly_quota": "lots"} | invalid_field_type
            {"company_name": "A", "email": "a@b.example", "tier": "free", "rate_limit_per_minute": -5} | invalid_rate_limit
            {"company_name": "A", "email": "a@b.example", "tier": "free", "rate_limit_per_minute": 99999999999} | invalid_field_type
            {"company_name": "A", "email": "a@b.example", "tier": "free", "monthly_qouta": 5}     | unknown_field
            {"company_name": "A", "email": "a@b.example", "tier": "free"                          | invalid_json
            {"company_name": tru}                                                                 | invalid_json
            ["not", "an", "object"]                                                               | invalid_request_body
            """)
    void rejectsInvalidCustomers(String body, String expectedCode) {
        Response rejected = admin.post("/admin/v1/customers", body);

        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.errorType()).isEqualTo("invalid_request_error");
        assertThat(rejected.errorCode()).isEqualTo(expectedCode);
        assertThat(rejected.json().path("error").path("message").asString()).isNotBlank();
    }

    @Test
    void rejectsAnEmptyBody() {
        Response rejected = admin.post("/admin/v1/customers", "");

        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.errorCode()).isEqualTo("invalid_request_body");
    }

    @Test
    void rejectsANonJsonContentType() {
        Response rejected = api.send(api.request("/admin/v1/customers")
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("company_name=Acme")));

        assertThat(rejected.status()).isEqualTo(415);
        assertThat(rejected.errorType()).isEqualTo("invalid_request_error");
        assertThat(rejected.errorCode()).isEqualTo("unsupported_media_type");
    }

    @Test
    void anInvalidKeyNameCreatesNothing() {
        String body = """
                {"company_name": "Rollback Co", "email": "rollback@co.example", "tier": "free", "key_name": "%s"}""";

        Response rejected = admin.post("/admin/v1/customers", body.formatted("x".repeat(101)));
        Response retried = admin.post("/admin/v1/customers", body.formatted("fleet"));

        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.errorCode()).isEqualTo("invalid_key_name");
        assertThat(retried.status()).isEqualTo(201);
    }

    @Test
    void createsTheFirstKeyWithAnExpiry() {
        Instant before = Instant.now();
        Response created = admin.post("/admin/v1/customers", """
                {"company_name": "Trial Co", "email": "trial@co.example", "tier": "free", "expires_in_seconds": 86400}""");
        Response invalid = admin.post("/admin/v1/customers", """
                {"company_name": "Trial Co", "email": "trial2@co.example", "tier": "free", "expires_in_seconds": 0}""");

        assertThat(created.status()).isEqualTo(201);
        assertThat(Instant.parse(created.json().path("api_key").path("expires_at").asString()))
                .isBetween(before.plusSeconds(86_390), Instant.now().plusSeconds(86_410));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.errorCode()).isEqualTo("invalid_expires_in_seconds");
        assertThat(admin.get("/admin/v1/customers").body()).doesNotContain("trial2@co.example");
    }

    @Test
    void changingTheTierBringsItsDefaultLimits() {
        String customerId = admin.post("/admin/v1/customers", """
                {"company_name": "Mover", "email": "mover@plan.example", "tier": "free",
                 "monthly_quota": 12345, "rate_limit_per_minute": 77}""").json().path("customer").path("customer_id").asString();

        Response updated = admin.patch("/admin/v1/customers/" + customerId, "{\"tier\": \"Pro\"}");

        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        JsonNode customer = updated.json();
        assertThat(customer.path("customer_id").asString()).isEqualTo(customerId);
        assertThat(customer.path("tier").asString()).isEqualTo("pro");
        assertThat(customer.path("monthly_quota").asLong()).isEqualTo(100_000);
        assertThat(customer.path("rate_limit_per_minute").asInt()).isEqualTo(600);
        assertThat(customer.path("company_name").asString()).isEqualTo("Mover");
        assertThat(admin.get("/admin/v1/customers/" + customerId).json()).isEqualTo(customer);
    }

    @Test
    void explicitLimitsOverrideTheNewTiersDefaultsAndLimitsAloneKeepTheTier() {
        String customerId = createCustomer("free").json().path("customer").path("customer_id").asString();
        String path = "/admin/v1/customers/" + customerId;

        JsonNode upgraded = admin.patch(path, """
                {"tier": "enterprise", "rate_limit_per_minute": 9000}""").json();
        JsonNode requota = admin.patch(path, "{\"monthly_quota\": 2500000}").json();

        assertThat(upgraded.path("tier").asString()).isEqualTo("enterprise");
        assertThat(upgraded.path("monthly_quota").asLong()).isEqualTo(1_000_000);
        assertThat(upgraded.path("rate_limit_per_minute").asInt()).isEqualTo(9_000);
        assertThat(requota.path("tier").asString()).isEqualTo("enterprise");
        assertThat(requota.path("monthly_quota").asLong()).isEqualTo(2_500_000);
        assertThat(requota.path("rate_limit_per_minute").asInt()).isEqualTo(9_000);
    }

    @Test
    void suspendsAndReactivatesACustomer() {
        JsonNode created = createCustomer("pro").json();
        String path = "/admin/v1/customers/" + created.path("customer").path("customer_id").asString();
        String lookupPath = "/internal/v1/api-keys/" + ApiKeyHashes.sha256Hex(created.path("api_key").path("key").asString());

        JsonNode suspended = admin.patch(path, "{\"status\": \"suspended\"}").json();
        String statusWhileSuspended = internal.get(lookupPath).json().path("customer_status").asString();
        JsonNode reactivated = admin.patch(path, "{\"status\": \"active\"}").json();

        assertThat(suspended.path("status").asString()).isEqualTo("suspended");
        assertThat(suspended.path("monthly_quota").asLong()).as("limits untouched").isEqualTo(100_000);
        assertThat(statusWhileSuspended).isEqualTo("suspended");
        assertThat(reactivated.path("status").asString()).isEqualTo("active");
        assertThat(internal.get(lookupPath).json().path("customer_status").asString()).isEqualTo("active");
    }

    @Test
    void recordsWithdrawsAndPublishesTrainingImageConsent() throws Exception {
        JsonNode customer = createCustomer("pro").json().path("customer");
        String customerId = customer.path("customer_id").asString();
        String path = "/admin/v1/customers/" + customerId + "/training-image-consent";
        assertThat(customer.path("training_images_consent_at").isNull()).as("nobody consents by default").isTrue();

        Response given = admin.send(admin.request(path).PUT(HttpRequest.BodyPublishers.noBody()));
        Instant consentAt = Instant.parse(given.json().path("training_images_consent_at").asString());
        Response givenAgain = admin.send(admin.request(path).PUT(HttpRequest.BodyPublishers.noBody()));

        assertThat(given.status()).isEqualTo(200);
        assertThat(givenAgain.json().path("training_images_consent_at").asString())
                .as("the first consent's time stays").isEqualTo(given.json().path("training_images_consent_at").asString());
        assertThat(publishedConsent(customerId)).isEqualTo(consentAt);

        Response withdrawn = admin.send(admin.request(path).DELETE());

        assertThat(withdrawn.status()).isEqualTo(200);
        assertThat(withdrawn.json().path("training_images_consent_at").isNull()).isTrue();
        assertThat(publishedConsent(customerId)).isNull();
        assertThat(admin.send(admin.request("/admin/v1/customers/" + UUID.randomUUID() + "/training-image-consent")
                .PUT(HttpRequest.BodyPublishers.noBody())).errorCode()).isEqualTo("customer_not_found");
    }

    /** As inference-service reads it: through the public read model, as its own role. */
    private Instant publishedConsent(String customerId) throws Exception {
        try (Connection connection = database.connect();
             Statement role = connection.createStatement()) {
            role.execute("SET ROLE inference_service");
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT training_images_consent_at FROM customer.customers_v1 WHERE customer_id = ?::uuid")) {
                query.setString(1, customerId);
                try (ResultSet rows = query.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    java.sql.Timestamp at = rows.getTimestamp(1);
                    return at == null ? null : at.toInstant();
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {}                                 | missing_field
            {"tier": null}                     | missing_field
            {"tier": "gold"}                   | invalid_tier
            {"tier": ""}                       | invalid_tier
            {"monthly_quota": 0}               | invalid_quota
            {"monthly_quota": "lots"}          | invalid_field_type
            {"rate_limit_per_minute": -5}      | invalid_rate_limit
            {"status": "deleted"}              | invalid_status
            {"email": "new@mail.example"}      | unknown_field
            {"tier": "pro"                     | invalid_json
            """)
    void rejectsInvalidUpdates(String body, String expectedCode) {
        JsonNode customer = createCustomer("free").json().path("customer");
        String path = "/admin/v1/customers/" + customer.path("customer_id").asString();

        Response rejected = admin.patch(path, body);

        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.errorType()).isEqualTo("invalid_request_error");
        assertThat(rejected.errorCode()).isEqualTo(expectedCode);
        assertThat(admin.get(path).json()).isEqualTo(customer);
    }

    @Test
    void updatingAnUnknownCustomerIsNotFound() {
        Response unknown = admin.patch("/admin/v1/customers/" + UUID.randomUUID(), "{\"tier\": \"pro\"}");
        Response malformed = admin.patch("/admin/v1/customers/not-a-uuid", "{\"tier\": \"pro\"}");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("customer_not_found");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.errorCode()).isEqualTo("invalid_customer_id");
    }

    private static List<String> storedKeyHashes(Connection connection, String customerId) throws Exception {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT key_hash FROM customer.api_keys WHERE customer_id = ?::uuid")) {
            query.setString(1, customerId);
            List<String> hashes = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    hashes.add(rows.getString(1));
                }
            }
            return hashes;
        }
    }

    /** "table.column" for every text-like column of schema customer whose value contains the needle. */
    private static List<String> textColumnsContaining(Connection connection, String needle) throws Exception {
        List<String> columns = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT table_name, column_name FROM information_schema.columns
                     WHERE table_schema = 'customer' AND data_type IN ('text', 'character', 'character varying')""")) {
            while (rows.next()) {
                columns.add(rows.getString(1) + "." + rows.getString(2));
            }
        }
        assertThat(columns).contains("api_keys.key_hash", "api_keys.key_prefix", "customers.company_name");
        List<String> containing = new ArrayList<>();
        for (String column : columns) {
            String[] tableAndColumn = column.split("\\.");
            try (PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM customer.\""
                    + tableAndColumn[0] + "\" WHERE \"" + tableAndColumn[1] + "\" LIKE '%' || ? || '%'")) {
                query.setString(1, needle);
                try (ResultSet count = query.executeQuery()) {
                    count.next();
                    if (count.getLong(1) > 0) {
                        containing.add(column);
                    }
                }
            }
        }
        return containing;
    }
}
