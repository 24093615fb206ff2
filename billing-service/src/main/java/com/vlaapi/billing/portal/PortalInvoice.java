package com.vlaapi.billing.portal;

import com.vlaapi.billing.invoice.Invoice;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * One invoice as the customer portal lists it. {@code periodEnd} is exclusive (the next month's
 * first day), as in the admin API; {@code total} is a decimal string with cents.
 */
record PortalInvoice(UUID invoiceId, LocalDate periodStart, LocalDate periodEnd, String status, long requests,
                     String total, String currency, Instant generatedAt) {

    static PortalInvoice of(Invoice invoice) {
        return new PortalInvoice(invoice.invoiceId(), invoice.periodStart(), invoice.periodEnd(), invoice.status(),
                invoice.requests(), invoice.total().toPlainString(), invoice.currency(), invoice.generatedAt());
    }
}
