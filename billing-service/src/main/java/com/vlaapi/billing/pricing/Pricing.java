package com.vlaapi.billing.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.springframework.stereotype.Component;

/** Turns request counts into money with BigDecimal only; amounts are rounded to cents, half up. */
@Component
public class Pricing {

    private final PricingProperties properties;

    public Pricing(PricingProperties properties) {
        this.properties = properties;
    }

    public String currency() {
        return properties.currency();
    }

    public TierPrice price(String tier) {
        return properties.price(tier);
    }

    /** A full month: the base fee plus usage beyond the included requests. */
    public Charges monthly(String tier, long requests) {
        TierPrice price = price(tier);
        long chargeable = Math.max(0, requests - price.includedRequests());
        return new Charges(price, requests, chargeable, cents(price.monthlyFee()),
                cents(price.perRequest().multiply(BigDecimal.valueOf(chargeable))));
    }

    /**
     * The usage charge of {@code requests} made after {@code earlierInMonth} requests of the same
     * month: what those requests add to the month's invoice (part of a month, e.g. a week).
     */
    public BigDecimal usageAdded(String tier, long earlierInMonth, long requests) {
        return monthly(tier, earlierInMonth + requests).usage().subtract(monthly(tier, earlierInMonth).usage());
    }

    static BigDecimal cents(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP);
    }
}
