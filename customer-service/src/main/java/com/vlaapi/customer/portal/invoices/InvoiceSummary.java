package com.vlaapi.customer.portal.invoices;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** billing-service's list of a customer's invoices. */
public record InvoiceSummary(UUID invoiceId, LocalDate periodStart, LocalDate periodEnd, String status, long requests,
                      BigDecimal total, String currency, Instant generatedAt) {

    public record InvoiceList(List<InvoiceSummary> invoices) {
    }
}
