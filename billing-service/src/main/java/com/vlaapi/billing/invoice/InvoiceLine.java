package com.vlaapi.billing.invoice;

import jakarta.persistence.Embeddable;
import java.math.BigDecimal;

/** A row of {@code invoice_line_items}; its {@code line_no} is its place in the invoice's list. */
@Embeddable
class InvoiceLine {

    private String kind;
    private String description;
    private long quantity;
    private BigDecimal unitPrice;
    private BigDecimal amount;

    protected InvoiceLine() {
    }

    static InvoiceLine of(LineItem item) {
        InvoiceLine line = new InvoiceLine();
        line.kind = item.kind();
        line.description = item.description();
        line.quantity = item.quantity();
        line.unitPrice = item.unitPrice();
        line.amount = item.amount();
        return line;
    }

    LineItem toLineItem() {
        return new LineItem(kind, description, quantity, unitPrice, amount);
    }
}
