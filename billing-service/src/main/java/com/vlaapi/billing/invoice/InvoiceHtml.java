package com.vlaapi.billing.invoice;

import com.vlaapi.billing.pricing.MoneyText;
import java.text.NumberFormat;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.springframework.web.util.HtmlUtils;

/** A self-contained HTML invoice (inline CSS, no external assets) to send or print to PDF. */
public final class InvoiceHtml {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);

    private InvoiceHtml() {
    }

    public static String of(Invoice invoice) {
        StringBuilder lines = new StringBuilder();
        for (LineItem line : invoice.lineItems()) {
            lines.append("<tr><td>").append(e(line.description())).append("</td><td class=\"n\">")
                    .append(NumberFormat.getIntegerInstance(Locale.US).format(line.quantity()))
                    .append("</td><td class=\"n\">").append(MoneyText.of(invoice.currency(), line.unitPrice()))
                    .append("</td><td class=\"n\">").append(MoneyText.of(invoice.currency(), line.amount()))
                    .append("</td></tr>\n");
        }
        String status = Invoice.FINALIZED.equals(invoice.status()) ? "" : "<p class=\"draft\">DRAFT: not final</p>\n";
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8">
                <title>Invoice %s: %s</title>
                <style>
                body{font-family:system-ui,sans-serif;max-width:48em;margin:2em auto;color:#222}
                table{border-collapse:collapse;width:100%%}th,td{padding:.4em .6em;border-bottom:1px solid #ddd;text-align:left}
                .n{text-align:right;font-variant-numeric:tabular-nums}.total td{font-weight:bold;border-top:2px solid #222}
                .draft{color:#b00;font-weight:bold}.meta td{border:none;padding:.1em .6em .1em 0}
                </style></head><body>
                <h1>Invoice</h1>
                %s<table class="meta">
                <tr><td>Invoice</td><td>%s</td></tr>
                <tr><td>Bill to</td><td>%s<br>%s</td></tr>
                <tr><td>Customer ID</td><td>%s</td></tr>
                <tr><td>Plan</td><td>%s</td></tr>
                <tr><td>Period</td><td>%s to %s (UTC)</td></tr>
                <tr><td>Billable requests</td><td>%s</td></tr>
                </table>
                <h2>Charges</h2>
                <table><thead><tr><th>Description</th><th class="n">Quantity</th><th class="n">Unit price</th>\
                <th class="n">Amount</th></tr></thead>
                <tbody>
                %s<tr class="total"><td colspan="3">Total due</td><td class="n">%s</td></tr>
                </tbody></table>
                <p>Status: %s. Generated %s.</p>
                </body></html>
                """.formatted(e(invoice.period()), e(invoice.companyName()), status, invoice.invoiceId(),
                e(invoice.companyName()), e(invoice.email()), invoice.customerId(), e(invoice.tier()),
                DAY.format(invoice.periodStart()), DAY.format(invoice.periodEnd().minusDays(1)),
                NumberFormat.getIntegerInstance(Locale.US).format(invoice.requests()), lines,
                MoneyText.of(invoice.currency(), invoice.total()), e(invoice.status()), invoice.generatedAt());
    }

    private static String e(String text) {
        return text == null ? "" : HtmlUtils.htmlEscape(text);
    }
}
