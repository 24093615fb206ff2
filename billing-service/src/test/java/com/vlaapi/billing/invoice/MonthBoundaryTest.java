package com.vlaapi.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.billing.support.BillingIntegrationTest;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A month is [first day 00:00:00.000 UTC, next month's first day) and nothing else. */
class MonthBoundaryTest extends BillingIntegrationTest {

    @Test
    void requestsAtTheLastAndFirstMillisecondLandInTheirOwnMonths() {
        UUID customer = createCustomer("Boundary Robotics", "enterprise", Instant.parse("2024-01-01T00:00:00Z"));
        deliver(List.of(
                new Event(customer, Instant.parse("2025-10-31T23:59:59.999Z")),
                new Event(customer, Instant.parse("2025-11-01T00:00:00.000Z")),
                // The same two instants seen across a year end.
                new Event(customer, Instant.parse("2025-12-31T23:59:59.999Z")),
                new Event(customer, Instant.parse("2026-01-01T00:00:00.000Z")),
                // 23:59:59.999 in New York is already the next day in UTC: UTC decides.
                new Event(customer, Instant.parse("2025-12-01T04:59:59.999Z"))), 100);

        assertThat(requestsIn("2025-10", customer)).isEqualTo(1);
        assertThat(requestsIn("2025-11", customer)).isEqualTo(1);
        assertThat(requestsIn("2025-12", customer)).isEqualTo(2);
        assertThat(requestsIn("2026-01", customer)).isEqualTo(1);
        JsonNode october = invoice("2025-10", customer);
        assertThat(october.path("total").decimalValue()).isEqualTo(new BigDecimal("2500.01"));
    }

    @Test
    void billingMonthIsHalfOpenInUtc() {
        BillingMonth november = new BillingMonth(java.time.YearMonth.of(2025, 11));

        assertThat(november.start()).isEqualTo(Instant.parse("2025-11-01T00:00:00Z"));
        assertThat(november.end()).isEqualTo(Instant.parse("2025-12-01T00:00:00Z"));
        assertThat(BillingMonth.containing(Instant.parse("2025-11-30T23:59:59.999Z"))).isEqualTo(november);
        assertThat(BillingMonth.containing(Instant.parse("2025-12-01T00:00:00Z"))).isNotEqualTo(november);
    }

    private long requestsIn(String month, UUID customer) {
        return invoice(month, customer).path("requests").asLong();
    }

    private JsonNode invoice(String month, UUID customer) {
        var response = admin.post("/admin/v1/invoices/generate", "{\"month\": \"" + month + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return InvoiceGenerationTest.invoiceOf(response.json(), customer);
    }
}
