package com.vlaapi.billing.invoice;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * One customer's invoice for one calendar month (UTC). {@code periodEnd} is exclusive: the first
 * day of the next month.
 *
 * @param requests billable requests stored for the customer in the period
 * @param status   {@code draft} (regenerated on every run) or {@code finalized} (never changed again)
 */
public record Invoice(UUID invoiceId, UUID customerId, String companyName, String email, String tier, String period,
                      LocalDate periodStart, LocalDate periodEnd, String status, String currency, long requests,
                      List<LineItem> lineItems, BigDecimal total, Instant generatedAt, Instant finalizedAt) {

    public static final String DRAFT = "draft";
    public static final String FINALIZED = "finalized";
}
