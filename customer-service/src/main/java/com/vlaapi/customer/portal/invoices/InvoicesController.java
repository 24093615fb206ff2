package com.vlaapi.customer.portal.invoices;

import com.vlaapi.customer.portal.InternalApi;
import com.vlaapi.customer.portal.account.PortalUser;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** The customer's invoices from billing-service, each downloadable as HTML or CSV. */
@Controller
class InvoicesController {

    private final InternalApi internal;

    InvoicesController(InternalApi internal) {
        this.internal = internal;
    }

    @GetMapping("/portal/invoices")
    String list(PortalUser user, Model model) {
        model.addAttribute("user", user);
        model.addAttribute("invoices", internal.billing("/internal/v1/customers/" + user.customerId() + "/invoices",
                InvoiceSummary.InvoiceList.class).invoices());
        return "portal/invoices";
    }

    @GetMapping("/portal/invoices/{invoiceId}.html")
    ResponseEntity<byte[]> html(PortalUser user, @PathVariable UUID invoiceId) {
        return download(user, invoiceId, "html");
    }

    @GetMapping("/portal/invoices/{invoiceId}.csv")
    ResponseEntity<byte[]> csv(PortalUser user, @PathVariable UUID invoiceId) {
        return download(user, invoiceId, "csv");
    }

    private ResponseEntity<byte[]> download(PortalUser user, UUID invoiceId, String format) {
        InternalApi.Answer file = internal.billingFile(
                "/internal/v1/customers/" + user.customerId() + "/invoices/" + invoiceId + "/" + format);
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(file.contentType()))
                .cacheControl(CacheControl.noStore())
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename("invoice-" + invoiceId + "." + format).build().toString())
                .body(file.body());
    }
}
