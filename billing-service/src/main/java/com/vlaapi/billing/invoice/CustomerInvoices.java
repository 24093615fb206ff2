package com.vlaapi.billing.invoice;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * One customer's invoices, for the customer portal: every lookup is by the customer too, so an
 * invoice id never reaches another customer's invoice.
 */
@Service
public class CustomerInvoices {

    private final InvoiceRepository invoices;

    CustomerInvoices(InvoiceRepository invoices) {
        this.invoices = invoices;
    }

    /** Newest period first. */
    public List<Invoice> of(UUID customerId) {
        return invoices.findByCustomerIdOrderByPeriodStartDesc(customerId).stream().map(InvoiceEntity::toInvoice).toList();
    }

    /** Empty when there is no such invoice or it is another customer's. */
    public Optional<Invoice> find(UUID customerId, UUID invoiceId) {
        return invoices.findWithLinesByInvoiceIdAndCustomerId(invoiceId, customerId).map(InvoiceEntity::toInvoice);
    }
}
