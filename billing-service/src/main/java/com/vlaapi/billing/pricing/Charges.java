package com.vlaapi.billing.pricing;

import java.math.BigDecimal;

/**
 * What a customer owes for a number of requests in one month, in exact decimals (cents).
 *
 * @param requests           billable requests in the month
 * @param chargeableRequests the ones beyond the tier's included requests
 */
public record Charges(TierPrice price, long requests, long chargeableRequests, BigDecimal baseFee,
                      BigDecimal usage) {

    public BigDecimal total() {
        return baseFee.add(usage);
    }
}
