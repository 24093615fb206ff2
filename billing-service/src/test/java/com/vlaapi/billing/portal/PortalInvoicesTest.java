package com.vlaapi.billing.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.billing.support.BillingIntegrationTest;
import com.vlaapi.testsupport.http.ApiClient.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A customer sees its own invoices through the portal, exactly as operators export them, and no one else's. */
class PortalInvoicesTest extends BillingIntegrationTest {

    private static final Instant LONG_AGO = Instant.parse("2024-01-01T00:00:00Z");

    @Test
    void theListHoldsOnlyTheCustomersInvoicesNewestFirst() {
        pinClock(Instant.parse("2026-11-20T12:00:00Z"));
        UUID acme = createCustomer("Acme Robotics", "enterprise", LONG_AGO);
        UUID other = createCustomer("Other Robotics", "pro", LONG_AGO);
        deliver(spread(acme, 36_450, Instant.parse("2026-09-01T00:00:00Z"), Instant.parse("2026-10-01T00:00:00Z")), 5_000);
        deliver(spread(acme, 10, Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-11-01T00:00:00Z")), 100);
        for (String month : List.of("2026-09", "2026-11", "2026-10")) {
            assertThat(admin.post("/admin/v1/invoices/generate", "{\"month\": \"" + month + "\"}").status()).isEqualTo(200);
        }
        assertThat(admin.post("/admin/v1/invoices/finalize", "{\"month\": \"2026-09\"}").status()).isEqualTo(200);

        Response response = internal.get("/internal/v1/customers/" + acme + "/invoices");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode invoices = response.json().path("invoices");
        assertThat(response.json().propertyNames()).containsExactly("invoices");
        assertThat(invoices.size()).isEqualTo(3);
        List<String> periods = new ArrayList<>();
        invoices.forEach(invoice -> periods.add(invoice.path("period_start").asString()));
        assertThat(periods).containsExactly("2026-11-01", "2026-10-01", "2026-09-01");
        JsonNode september = invoices.get(2);
        assertThat(september.propertyNames()).containsExactlyInAnyOrder("invoice_id", "period_start", "period_end",
                "status", "requests", "total", "currency", "generated_at");
        assertThat(september.path("period_end").asString()).isEqualTo("2026-10-01");
        assertThat(september.path("status").asString()).isEqualTo("finalized");
        assertThat(september.path("requests").asLong()).isEqualTo(36_450);
        assertThat(september.path("total").isString()).isTrue();
        assertThat(september.path("total").asString()).isEqualTo("2864.50");
        assertThat(september.path("currency").asString()).isEqualTo("USD");
        assertThat(Instant.parse(september.path("generated_at").asString())).isEqualTo("2026-11-20T12:00:00Z");
        assertThat(invoices.get(1).path("total").asString()).isEqualTo("2500.10");
        assertThat(invoices.get(0).path("status").asString()).isEqualTo("draft");
        JsonNode admins = admin.get("/admin/v1/invoices?month=2026-09").json().path("invoices");
        for (JsonNode invoice : admins) {
            if (invoice.path("customer_id").asString().equals(acme.toString())) {
                assertThat(september.path("invoice_id").asString()).isEqualTo(invoice.path("invoice_id").asString());
            }
        }

        JsonNode others = internal.get("/internal/v1/customers/" + other + "/invoices").json().path("invoices");
        assertThat(others.size()).isEqualTo(3);
        others.forEach(invoice -> assertThat(invoice.path("total").asString()).isEqualTo("500.00"));
        UUID newcomer = createCustomer("Newcomer", "free", Instant.parse("2026-11-20T00:00:00Z"));
        assertThat(internal.get("/internal/v1/customers/" + newcomer + "/invoices").json().path("invoices").size()).isZero();
        Response unknown = internal.get("/internal/v1/customers/" + UUID.randomUUID() + "/invoices");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("customer_not_found");
    }

    @Test
    void htmlAndCsvAreTheAdminExportsAndOnlyForTheInvoicesCustomer() {
        pinClock(Instant.parse("2026-11-20T12:00:00Z"));
        UUID acme = createCustomer("Acme \"Robotics\", Inc.", "enterprise", LONG_AGO);
        UUID other = createCustomer("Other Robotics", "enterprise", LONG_AGO);
        deliver(spread(acme, 36_450, Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-11-01T00:00:00Z")), 5_000);
        admin.post("/admin/v1/invoices/generate", "{\"month\": \"2026-10\"}");
        String acmeInvoice = invoiceId(acme);
        String otherInvoice = invoiceId(other);

        Response html = internal.get("/internal/v1/customers/" + acme + "/invoices/" + acmeInvoice + "/html");
        assertThat(html.status()).as(html.body()).isEqualTo(200);
        assertThat(html.headers().firstValue("Content-Type").orElse("")).isEqualTo("text/html;charset=UTF-8");
        assertThat(html.body()).isEqualTo(admin.get("/admin/v1/invoices/" + acmeInvoice + "/html").body())
                .contains("$2,864.50");

        Response csv = internal.get("/internal/v1/customers/" + acme + "/invoices/" + acmeInvoice + "/csv");
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).isEqualTo("text/csv;charset=UTF-8");
        assertThat(csv.headers().firstValue("Content-Disposition").orElse(""))
                .isEqualTo("attachment; filename=\"invoice-2026-10.csv\"");
        List<String> exported = admin.get("/admin/v1/invoices/export.csv?month=2026-10").body().lines().toList();
        assertThat(csv.body().lines().toList()).containsExactly(exported.get(0),
                exported.stream().filter(row -> row.startsWith(acmeInvoice)).findFirst().orElseThrow());
        assertThat(csv.body()).contains(",\"Acme \"\"Robotics\"\", Inc.\",", ",2864.50\r\n");

        for (String format : List.of("html", "csv")) {
            assertNotFound(internal.get("/internal/v1/customers/" + acme + "/invoices/" + otherInvoice + "/" + format));
            assertNotFound(internal.get("/internal/v1/customers/" + other + "/invoices/" + acmeInvoice + "/" + format));
            assertNotFound(internal.get("/internal/v1/customers/" + acme + "/invoices/" + UUID.randomUUID() + "/" + format));
        }
    }

    private String invoiceId(UUID customer) {
        return internal.get("/internal/v1/customers/" + customer + "/invoices").json()
                .path("invoices").get(0).path("invoice_id").asString();
    }

    private static void assertNotFound(Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(response.json().path("error").propertyNames()).containsExactly("type", "code", "message", "request_id");
        assertThat(response.errorCode()).isEqualTo("invoice_not_found");
        assertThat(response.body()).doesNotContain("Robotics", "2864");
    }
}
