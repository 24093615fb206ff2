package com.vlaapi.billing.pricing;

import java.math.BigDecimal;

/** What one tier costs per calendar month ({@link PricingProperties} holds each tier's). */
public interface TierPrice {

    /** Flat fee for the month (the invoice's base-fee line). */
    BigDecimal monthlyFee();

    /**
     * Requests the fee covers before {@link #perRequest()} applies: a term of the price, not the
     * customer's quota (customer-service's), which only limits how many requests are served.
     */
    long includedRequests();

    /** Price of each request beyond the included ones. */
    BigDecimal perRequest();
}
