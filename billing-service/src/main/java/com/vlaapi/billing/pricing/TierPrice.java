package com.vlaapi.billing.pricing;

import java.math.BigDecimal;

/**
 * What one tier costs per calendar month.
 *
 * @param monthlyFee       flat fee for the month (the invoice's base-fee line)
 * @param includedRequests requests the fee covers before {@code perRequest} applies
 * @param perRequest       price of each request beyond the included ones
 */
public record TierPrice(BigDecimal monthlyFee, long includedRequests, BigDecimal perRequest) {

    public TierPrice {
        if (monthlyFee == null || monthlyFee.signum() < 0) {
            throw new IllegalArgumentException("monthly-fee must be zero or more, not " + monthlyFee);
        }
        if (perRequest == null || perRequest.signum() < 0) {
            throw new IllegalArgumentException("per-request must be zero or more, not " + perRequest);
        }
        if (includedRequests < 0) {
            throw new IllegalArgumentException("included-requests must be zero or more, not " + includedRequests);
        }
    }
}
