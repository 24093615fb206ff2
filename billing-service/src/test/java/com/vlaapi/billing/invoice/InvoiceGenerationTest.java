package com.vlaapi.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.billing.support.BillingIntegrationTest;
import com.vlaapi.testsupport.http.ApiClient.Response;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Invoices through the admin API against the real database. */
class InvoiceGenerationTest extends BillingIntegrationTest {

    private static final Instant LONG_AGO = Instant.parse("2024-01-01T00:00:00Z");

    @Test
    void acmeRoboticsEnterpriseWith36450RequestsOwes2864_50() {
        UUID acme = createCustomer("Acme Robotics", "enterprise", LONG_AGO);
        // Usage in the month, plus a request on each side of it that must not count.
        List<Event> events = new ArrayList<>(spread(acme, 36_450, Instant.parse("2025-03-01T00:00:00Z"),
                Instant.parse("2025-04-01T00:00:00Z")));
        events.add(new Event(acme, Instant.parse("2025-02-28T23:59:59.999Z")));
        events.add(new Event(acme, Instant.parse("2025-04-01T00:00:00Z")));
        assertThat(deliver(events, 5_000)).isEqualTo(36_452);

        Response generated = admin.post("/admin/v1/invoices/generate", "{\"month\": \"2025-03\"}");

        assertThat(generated.status()).as(generated.body()).isEqualTo(200);
        JsonNode invoice = invoiceOf(generated.json(), acme);
        assertThat(invoice.path("requests").asLong()).isEqualTo(36_450);
        assertThat(invoice.path("total").decimalValue()).isEqualTo(new BigDecimal("2864.50"));
        assertThat(invoice.path("currency").asString()).isEqualTo("USD");
        assertThat(invoice.path("status").asString()).isEqualTo("draft");
        assertThat(invoice.path("period_start").asString()).isEqualTo("2025-03-01");
        assertThat(invoice.path("period_end").asString()).isEqualTo("2025-04-01");
        JsonNode lines = invoice.path("line_items");
        assertThat(lines.get(0).path("kind").asString()).isEqualTo("base_fee");
        assertThat(lines.get(0).path("amount").decimalValue()).isEqualTo(new BigDecimal("2500.00"));
        assertThat(lines.get(1).path("kind").asString()).isEqualTo("usage");
        assertThat(lines.get(1).path("quantity").asLong()).isEqualTo(36_450);
        assertThat(lines.get(1).path("unit_price").decimalValue()).isEqualByComparingTo("0.01");
        assertThat(lines.get(1).path("amount").decimalValue()).isEqualTo(new BigDecimal("364.50"));
        // Stored as NUMERIC, to the cent.
        assertThat(db().queryForObject("SELECT total FROM billing.invoices WHERE customer_id = ?", BigDecimal.class,
                acme)).isEqualTo(new BigDecimal("2864.50"));

        String id = invoice.path("invoice_id").asString();
        Response html = admin.get("/admin/v1/invoices/" + id + "/html");
        assertThat(html.status()).isEqualTo(200);
        assertThat(html.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(html.body()).contains("Acme Robotics", "$2,500.00", "$364.50", "$2,864.50", "36,450", "DRAFT");
        Response csv = admin.get("/admin/v1/invoices/export.csv?month=2025-03");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.body()).startsWith(InvoiceCsv.HEADER)
                .contains(id + "," + acme + ",Acme Robotics,").contains(",enterprise,2025-03,")
                .contains(",36450,2500.00,36450,0.0100,364.50,2864.50");
    }

    @Test
    void generatingAMonthTwiceLeavesOneInvoicePerCustomer() {
        UUID first = createCustomer("Twice Robotics", "pro", LONG_AGO);
        UUID second = createCustomer("Twice Labs", "enterprise", LONG_AGO);
        UUID third = createCustomer("Twice Free", "free", LONG_AGO);
        createCustomer("Too Late Inc", "pro", Instant.parse("2025-06-01T00:00:00Z"));
        Instant from = Instant.parse("2025-05-01T00:00:00Z");
        Instant to = Instant.parse("2025-06-01T00:00:00Z");
        deliver(spread(second, 100, from, to), 1_000);

        JsonNode run1 = admin.post("/admin/v1/invoices/generate", "{\"month\": \"2025-05\"}").json();
        deliver(spread(second, 50, from, to), 1_000);
        JsonNode run2 = admin.post("/admin/v1/invoices/generate", "{\"month\": \"2025-05\"}").json();

        assertThat(run1.path("invoices").size()).isEqualTo(3);
        assertThat(run2.path("invoices").size()).isEqualTo(3);
        assertThat(db().queryForObject("SELECT count(*) FROM billing.invoices WHERE period_start = '2025-05-01'",
                Long.class)).isEqualTo(3);
        assertThat(db().queryForList("""
                SELECT customer_id FROM billing.invoices WHERE period_start = '2025-05-01'
                GROUP BY customer_id HAVING count(*) > 1""", UUID.class)).isEmpty();
        assertThat(invoiceOf(run2, second).path("invoice_id").asString())
                .isEqualTo(invoiceOf(run1, second).path("invoice_id").asString());
        // The second run saw the 50 late events: drafts follow the stored usage.
        assertThat(invoiceOf(run2, second).path("total").decimalValue()).isEqualTo(new BigDecimal("2501.50"));
        assertThat(invoiceOf(run2, first).path("total").decimalValue()).isEqualTo(new BigDecimal("500.00"));
        assertThat(invoiceOf(run2, third).path("total").decimalValue()).isEqualTo(new BigDecimal("0.00"));
        assertThat(db().queryForObject("""
                SELECT count(*) FROM billing.invoice_line_items l JOIN billing.invoices i USING (invoice_id)
                WHERE i.period_start = '2025-05-01'""", Long.class)).isEqualTo(6);

        // Finalized invoices are never rewritten, even when more usage arrives afterwards.
        Response finalized = admin.post("/admin/v1/invoices/finalize", "{\"month\": \"2025-05\"}");
        assertThat(finalized.status()).as(finalized.body()).isEqualTo(200);
        deliver(spread(second, 7, from, to), 1_000);
        JsonNode run3 = admin.post("/admin/v1/invoices/generate", "{\"month\": \"2025-05\"}").json();
        assertThat(run3.path("finalized_unchanged").asInt()).isEqualTo(3);
        assertThat(invoiceOf(run3, second).path("status").asString()).isEqualTo("finalized");
        assertThat(invoiceOf(run3, second).path("total").decimalValue()).isEqualTo(new BigDecimal("2501.50"));
        assertThat(db().queryForObject("SELECT count(*) FROM billing.invoices WHERE period_start = '2025-05-01'",
                Long.class)).isEqualTo(3);
    }

    /**
     * A month's requests may still sit in an inference instance's request journal (it crashed, or
     * cannot reach the database): finalizing waits until every open journal is stored past the
     * month's end and the few minutes its last requests may take to be answered.
     */
    @Test
    void aMonthIsFinalizedOnlyOnceEveryOpenJournalIsStoredPastItsEnd() {
        UUID behind = UUID.randomUUID();
        UUID closed = UUID.randomUUID();
        Instant monthEnd = Instant.parse("2025-08-01T00:00:00Z");
        try {
            // Played as inference-service, which owns the table: a journal stopped cleanly long ago,
            // and one stored through a minute after the month (a request of the month may still wait).
            journal(closed, monthEnd.minus(Duration.ofDays(20)), true);
            journal(behind, monthEnd.plus(Duration.ofMinutes(1)), false);

            Response refused = admin.post("/admin/v1/invoices/finalize", "{\"month\": \"2025-07\"}");

            assertError(refused, 409, "usage_in_transit");
            assertThat(refused.body()).contains(behind.toString()).doesNotContain(closed.toString());

            journal(behind, monthEnd.plus(Duration.ofMinutes(6)), false);
            Response finalized = admin.post("/admin/v1/invoices/finalize", "{\"month\": \"2025-07\"}");
            assertThat(finalized.status()).as(finalized.body()).isEqualTo(200);
        } finally {
            db().update("DELETE FROM inference.request_journals WHERE journal_id IN (?, ?)", behind, closed);
        }
    }

    private static void journal(UUID id, Instant storedThrough, boolean closed) {
        db().update("""
                INSERT INTO inference.request_journals (journal_id, stored_through, closed, updated_at)
                VALUES (?, ?, ?, now())
                ON CONFLICT (journal_id) DO UPDATE SET stored_through = EXCLUDED.stored_through, closed = EXCLUDED.closed""",
                id, OffsetDateTime.ofInstant(storedThrough, ZoneOffset.UTC), closed);
    }

    @Test
    void badRequestsAreNamed() {
        assertError(admin.post("/admin/v1/invoices/generate", "{\"month\": \"2025-13\"}"), 400, "invalid_month");
        assertError(admin.post("/admin/v1/invoices/generate", "{\"month\": \"March\"}"), 400, "invalid_month");
        assertError(admin.post("/admin/v1/invoices/generate", "{}"), 400, "missing_month");
        assertError(admin.post("/admin/v1/invoices/generate", "{\"month\": \"2999-01\"}"), 400, "month_in_future");
        assertError(admin.post("/admin/v1/invoices/generate", "{\"monht\": \"2025-01\"}"), 400, "unknown_field");
        assertError(admin.get("/admin/v1/invoices/" + UUID.randomUUID()), 404, "invoice_not_found");
        assertError(admin.get("/admin/v1/invoices/not-a-uuid"), 400, "invalid_invoice_id");
        pinClock(java.time.Instant.parse("2026-03-31T23:59:59.999Z"));
        assertError(admin.post("/admin/v1/invoices/finalize", "{\"month\": \"2026-03\"}"), 409, "month_not_over");
        assertError(admin.post("/admin/v1/invoices/generate", "{\"month\": \"2026-04\"}"), 400, "month_in_future");
        assertError(api.send(api.request("/admin/v1/invoices?month=2025-01").GET()), 401, "missing_admin_token");
        assertError(api.send(api.request("/admin/v1/invoices?month=2025-01")
                .header("Authorization", "Bearer wrong").GET()), 401, "invalid_admin_token");
    }

    static JsonNode invoiceOf(JsonNode body, UUID customerId) {
        for (JsonNode invoice : body.path("invoices")) {
            if (invoice.path("customer_id").asString().equals(customerId.toString())) {
                return invoice;
            }
        }
        throw new AssertionError("no invoice for " + customerId + " in " + body);
    }

    static void assertError(Response response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.errorCode()).as(response.body()).isEqualTo(code);
        assertThat(response.json().path("error").path("message").asString()).isNotBlank();
        assertThat(response.json().path("error").path("request_id").asString()).isNotBlank();
    }
}
