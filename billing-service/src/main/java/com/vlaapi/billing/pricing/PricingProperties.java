package com.vlaapi.billing.pricing;

import java.math.BigDecimal;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code vla.billing.pricing.*}: the price of each tier customer-service knows (e.g.
 * {@code VLA_BILLING_PRICING_PRO_PER_REQUEST}). Defaults are the published prices: free $0 with 10K
 * requests included, pro $500 a month with 100K included, enterprise $2,500 a month plus $0.01 per
 * request. Each tier is a type of its own so that its defaults can be declared here.
 *
 * @param currency ISO 4217 code printed on invoices
 */
@ConfigurationProperties("vla.billing.pricing")
public record PricingProperties(
        @DefaultValue("USD") String currency,
        @DefaultValue Free free,
        @DefaultValue Pro pro,
        @DefaultValue Enterprise enterprise) {

    public PricingProperties {
        if (!currency.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException(
                    "vla.billing.pricing.currency must be an ISO 4217 code like USD, not " + currency);
        }
        requireValid(free, "free");
        requireValid(pro, "pro");
        requireValid(enterprise, "enterprise");
    }

    public TierPrice price(String tier) {
        return switch (tier) {
            case "free" -> free;
            case "pro" -> pro;
            case "enterprise" -> enterprise;
            default -> throw new IllegalArgumentException("no price for tier '" + tier + "'");
        };
    }

    private static void requireValid(TierPrice price, String tier) {
        String prefix = "vla.billing.pricing." + tier + ".";
        if (price.monthlyFee().signum() < 0) {
            throw new IllegalArgumentException(prefix + "monthly-fee must be zero or more, not " + price.monthlyFee());
        }
        if (price.perRequest().signum() < 0) {
            throw new IllegalArgumentException(prefix + "per-request must be zero or more, not " + price.perRequest());
        }
        if (price.includedRequests() < 0) {
            throw new IllegalArgumentException(
                    prefix + "included-requests must be zero or more, not " + price.includedRequests());
        }
    }

    public record Free(
            @DefaultValue("0.00") BigDecimal monthlyFee,
            @DefaultValue("10000") long includedRequests,
            @DefaultValue("0") BigDecimal perRequest) implements TierPrice {
    }

    public record Pro(
            @DefaultValue("500.00") BigDecimal monthlyFee,
            @DefaultValue("100000") long includedRequests,
            @DefaultValue("0") BigDecimal perRequest) implements TierPrice {
    }

    public record Enterprise(
            @DefaultValue("2500.00") BigDecimal monthlyFee,
            @DefaultValue("0") long includedRequests,
            @DefaultValue("0.01") BigDecimal perRequest) implements TierPrice {
    }
}
