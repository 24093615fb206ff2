package com.vlaapi.billing.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.billing.support.BillingIntegrationTest;
import com.vlaapi.testsupport.http.ApiClient.Response;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** At-least-once delivery in, exactly-once usage out. */
class UsageIngestionTest extends BillingIntegrationTest {

    @Test
    void everyEventDeliveredTwiceAndOutOfOrderCountsOnce() {
        UUID customer = createCustomer("Twice Delivered", "enterprise", Instant.parse("2024-01-01T00:00:00Z"));
        List<Event> events = spread(customer, 3_000, Instant.parse("2025-07-01T00:00:00Z"),
                Instant.parse("2025-08-01T00:00:00Z"));
        List<Event> firstDelivery = new ArrayList<>(events);
        Collections.shuffle(firstDelivery, new Random(1));
        List<Event> secondDelivery = new ArrayList<>(events);
        Collections.shuffle(secondDelivery, new Random(2));
        // A batch that carries the same event twice, as a relay retrying mid-batch might.
        List<Event> repeatedInOneBatch = List.of(events.get(0), events.get(1), events.get(0));

        int storedFirst = deliver(firstDelivery, 700);
        int storedSecond = deliver(secondDelivery, 1_000);
        int storedThird = deliver(repeatedInOneBatch, 10);

        assertThat(storedFirst).isEqualTo(3_000);
        assertThat(storedSecond).isZero();
        assertThat(storedThird).isZero();
        assertThat(db().queryForObject("SELECT count(*) FROM billing.usage_events WHERE customer_id = ?", Long.class,
                customer)).isEqualTo(3_000);
        String invoice = admin.post("/admin/v1/invoices/generate", "{\"month\": \"2025-07\"}").body();
        assertThat(invoice).contains("\"requests\":3000", "\"total\":2530.00");
    }

    @Test
    void storesWhatTheRelaySends() {
        UUID customer = UUID.randomUUID();
        UUID request = UUID.randomUUID();
        UUID key = UUID.randomUUID();

        Response response = internal.post("/internal/v1/usage-events", """
                {"events": [{"request_id": "%s", "customer_id": "%s", "api_key_id": "%s",
                             "served_at": "2025-07-31T23:59:59.999Z", "model": "tabletop-v1"}]}"""
                .formatted(request, customer, key));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("received").asInt()).isEqualTo(1);
        assertThat(response.json().path("stored").asInt()).isEqualTo(1);
        var row = db().queryForMap("""
                SELECT customer_id, api_key_id, served_at = '2025-07-31T23:59:59.999Z'::timestamptz AS exact, model
                FROM billing.usage_events WHERE request_id = ?""", request);
        assertThat(row.get("customer_id")).isEqualTo(customer);
        assertThat(row.get("api_key_id")).isEqualTo(key);
        assertThat(row.get("exact")).isEqualTo(true);
        assertThat(row.get("model")).isEqualTo("tabletop-v1");
    }

    @Test
    void badBatchesAreRejectedWholeWithTheProblemNamed() {
        UUID goodRequest = UUID.randomUUID();
        String good = "{\"request_id\": \"" + goodRequest + "\", \"customer_id\": \"" + UUID.randomUUID()
                + "\", \"served_at\": \"2025-07-01T00:00:00Z\"}";
        Response missing = internal.post("/internal/v1/usage-events",
                "{\"events\": [" + good + ", {\"request_id\": \"" + UUID.randomUUID() + "\", \"customer_id\": \""
                        + UUID.randomUUID() + "\"}]}");
        assertError(missing, 400, "missing_field");
        assertThat(missing.json().path("error").path("message").asString()).contains("events[1].served_at");
        assertError(internal.post("/internal/v1/usage-events", "{}"), 400, "missing_events");
        assertError(internal.post("/internal/v1/usage-events", "{\"events\": [{\"request_id\": \"nope\"}]}"), 400,
                "invalid_field_type");
        assertError(internal.post("/internal/v1/usage-events", "{\"events\": [], \"extra\": 1}"), 400,
                "unknown_field");
        assertError(internal.post("/internal/v1/usage-events", "{\"events\": ["), 400, "invalid_json");
        // The valid event next to an invalid one was not stored either: the relay resends the batch whole.
        assertThat(db().queryForObject("SELECT count(*) FROM billing.usage_events WHERE request_id = ?", Long.class,
                goodRequest)).isZero();

        assertError(api.send(api.request("/internal/v1/usage-events").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"events\": []}"))), 401, "missing_internal_token");
        assertError(api.send(api.request("/internal/v1/usage-events").header("Content-Type", "application/json")
                .header("X-Internal-Token", "wrong")
                .POST(HttpRequest.BodyPublishers.ofString("{\"events\": []}"))), 401, "invalid_internal_token");
    }

    private static void assertError(Response response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.errorCode()).as(response.body()).isEqualTo(code);
    }
}
