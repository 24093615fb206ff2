package com.vlaapi.billing.invoice;

import com.vlaapi.servicecontract.error.ApiException;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Invoices for operators (admin token): generate, list, finalize, export as CSV and HTML. */
@RestController
@RequestMapping("/admin/v1/invoices")
class InvoiceAdminController {

    /** Body of generate and finalize: {@code {"month": "2026-11"}}. */
    record MonthRequest(String month) {
    }

    record InvoiceList(String month, List<Invoice> invoices) {
    }

    private final InvoiceGenerator generator;
    private final InvoiceRepository invoices;
    private final Clock clock;

    InvoiceAdminController(InvoiceGenerator generator, InvoiceRepository invoices, Clock clock) {
        this.generator = generator;
        this.invoices = invoices;
        this.clock = clock;
    }

    @PostMapping("/generate")
    InvoiceGenerator.Generation generate(@RequestBody MonthRequest request) {
        return generator.generate(BillingMonth.parse(request.month(), clock));
    }

    @PostMapping("/finalize")
    InvoiceGenerator.Generation finalizeMonth(@RequestBody MonthRequest request) {
        return generator.finalizeMonth(BillingMonth.parse(request.month(), clock));
    }

    @GetMapping
    InvoiceList list(@RequestParam(required = false) String month) {
        BillingMonth billingMonth = BillingMonth.parse(month, clock);
        return new InvoiceList(billingMonth.toString(), invoices.invoicesOf(billingMonth));
    }

    @GetMapping("/export.csv")
    ResponseEntity<String> csv(@RequestParam(required = false) String month) {
        BillingMonth billingMonth = BillingMonth.parse(month, clock);
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                .header("Content-Disposition", "attachment; filename=\"invoices-" + billingMonth + ".csv\"")
                .body(InvoiceCsv.of(invoices.invoicesOf(billingMonth)));
    }

    @GetMapping("/{invoice_id}")
    Invoice get(@PathVariable("invoice_id") UUID invoiceId) {
        return find(invoiceId);
    }

    @GetMapping("/{invoice_id}/html")
    ResponseEntity<String> html(@PathVariable("invoice_id") UUID invoiceId) {
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "html", java.nio.charset.StandardCharsets.UTF_8))
                .body(InvoiceHtml.of(find(invoiceId)));
    }

    private Invoice find(UUID invoiceId) {
        return invoices.findWithLinesByInvoiceId(invoiceId).map(InvoiceEntity::toInvoice).orElseThrow(() ->
                new ApiException(HttpStatus.NOT_FOUND, "invoice_not_found", "No invoice " + invoiceId + "."));
    }
}
