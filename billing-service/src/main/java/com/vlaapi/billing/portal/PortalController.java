package com.vlaapi.billing.portal;

import com.vlaapi.billing.customer.BillableCustomer;
import com.vlaapi.billing.customer.CustomerDirectory;
import com.vlaapi.billing.invoice.CustomerInvoices;
import com.vlaapi.billing.invoice.Invoice;
import com.vlaapi.billing.invoice.InvoiceCsv;
import com.vlaapi.billing.invoice.InvoiceHtml;
import com.vlaapi.servicecontract.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What customer-service's portal shows a customer of its billing (internal token; customer-service
 * alone, BillingServiceApplication). customer-service decides who may see which customer; here,
 * everything is scoped to the customer in the path, and an invoice of another customer is as
 * absent as one that does not exist.
 */
@RestController
@RequestMapping("/internal/v1/customers/{customer_id}")
class PortalController {

    record InvoiceList(List<PortalInvoice> invoices) {
    }

    private final CustomerDirectory customers;
    private final BillingSummaries summaries;
    private final CustomerInvoices invoices;

    PortalController(CustomerDirectory customers, BillingSummaries summaries, CustomerInvoices invoices) {
        this.customers = customers;
        this.summaries = summaries;
        this.invoices = invoices;
    }

    @GetMapping("/billing-summary")
    BillingSummary summary(@PathVariable("customer_id") UUID customerId) {
        return summaries.of(customer(customerId));
    }

    @GetMapping("/invoices")
    InvoiceList invoices(@PathVariable("customer_id") UUID customerId) {
        // An unknown customer is a 404, as for the summary, not an empty list.
        customer(customerId);
        return new InvoiceList(invoices.of(customerId).stream().map(PortalInvoice::of).toList());
    }

    @GetMapping("/invoices/{invoice_id}/html")
    ResponseEntity<String> html(@PathVariable("customer_id") UUID customerId,
                                @PathVariable("invoice_id") UUID invoiceId) {
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "html", StandardCharsets.UTF_8))
                .body(InvoiceHtml.of(find(customerId, invoiceId)));
    }

    @GetMapping("/invoices/{invoice_id}/csv")
    ResponseEntity<String> csv(@PathVariable("customer_id") UUID customerId,
                               @PathVariable("invoice_id") UUID invoiceId) {
        Invoice invoice = find(customerId, invoiceId);
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header("Content-Disposition", "attachment; filename=\"invoice-" + invoice.period() + ".csv\"")
                .body(InvoiceCsv.of(List.of(invoice)));
    }

    private BillableCustomer customer(UUID customerId) {
        return customers.find(customerId).orElseThrow(() ->
                new ApiException(HttpStatus.NOT_FOUND, "customer_not_found", "No customer " + customerId + "."));
    }

    private Invoice find(UUID customerId, UUID invoiceId) {
        return invoices.find(customerId, invoiceId).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND,
                "invoice_not_found", "No invoice " + invoiceId + " for customer " + customerId + "."));
    }
}
