package com.vlaapi.billing.invoice;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.ListIndexBase;
import org.hibernate.type.SqlTypes;

/**
 * One customer's invoice for one calendar month, with its lines. A draft is rewritten in place by
 * each generation; a finalized invoice is never changed again.
 */
@Entity
@Table(name = "invoices")
class InvoiceEntity {

    @Id
    private UUID invoiceId;
    private UUID customerId;
    private LocalDate periodStart;
    private LocalDate periodEnd;
    private String status;
    // Copied at generation time, so a finalized invoice keeps what it said.
    private String companyName;
    private String email;
    private String tier;
    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(length = 3)
    private String currency;
    private long requests;
    private BigDecimal total;
    private Instant generatedAt;
    private Instant finalizedAt;
    @ElementCollection
    @CollectionTable(name = "invoice_line_items", joinColumns = @JoinColumn(name = "invoice_id"))
    @OrderColumn(name = "line_no")
    @ListIndexBase(1)
    private List<InvoiceLine> lines = new ArrayList<>();

    protected InvoiceEntity() {
    }

    InvoiceEntity(UUID customerId, BillingMonth month) {
        this.invoiceId = UUID.randomUUID();
        this.customerId = customerId;
        this.periodStart = month.firstDay();
        this.periodEnd = month.nextMonthFirstDay();
        this.status = Invoice.DRAFT;
    }

    boolean isDraft() {
        return Invoice.DRAFT.equals(status);
    }

    /** Rewrites a draft with what a generation computed. */
    void redraft(String companyName, String email, String tier, String currency, long requests, BigDecimal total,
                 List<LineItem> lines, Instant generatedAt) {
        if (!isDraft()) {
            throw new IllegalStateException("invoice " + invoiceId + " is finalized and cannot change");
        }
        this.companyName = companyName;
        this.email = email;
        this.tier = tier;
        this.currency = currency;
        this.requests = requests;
        this.total = total;
        this.generatedAt = generatedAt;
        this.lines.clear();
        lines.forEach(line -> this.lines.add(InvoiceLine.of(line)));
    }

    void finalizeAt(Instant at) {
        status = Invoice.FINALIZED;
        finalizedAt = at;
    }

    Invoice toInvoice() {
        return new Invoice(invoiceId, customerId, companyName, email, tier, YearMonth.from(periodStart).toString(),
                periodStart, periodEnd, status, currency, requests, lines.stream().map(InvoiceLine::toLineItem).toList(),
                total, generatedAt, finalizedAt);
    }
}
