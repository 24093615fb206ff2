package com.vlaapi.billing.invoice;

import com.vlaapi.billing.csv.CsvField;
import java.math.BigDecimal;
import java.util.List;

/** Invoices as CSV (RFC 4180), one row per invoice, for spreadsheets and accounting imports. */
public final class InvoiceCsv {

    static final String HEADER = "invoice_id,customer_id,company_name,email,tier,period,period_start,period_end,"
            + "status,currency,requests,base_fee,usage_quantity,usage_unit_price,usage_amount,total";

    private InvoiceCsv() {
    }

    public static String of(List<Invoice> invoices) {
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        for (Invoice i : invoices) {
            LineItem usage = line(i, "usage");
            LineItem base = line(i, "base_fee");
            csv.append(String.join(",", i.invoiceId().toString(), i.customerId().toString(), CsvField.of(i.companyName()),
                    CsvField.of(i.email()), i.tier(), i.period(), i.periodStart().toString(), i.periodEnd().toString(),
                    i.status(), i.currency(), Long.toString(i.requests()), money(base == null ? null : base.amount()),
                    usage == null ? "0" : Long.toString(usage.quantity()),
                    usage == null ? "" : usage.unitPrice().toPlainString(), money(usage == null ? null : usage.amount()),
                    money(i.total()))).append("\r\n");
        }
        return csv.toString();
    }

    private static LineItem line(Invoice invoice, String kind) {
        return invoice.lineItems().stream().filter(l -> l.kind().equals(kind)).findFirst().orElse(null);
    }

    private static String money(BigDecimal amount) {
        return amount == null ? "0.00" : amount.toPlainString();
    }
}
