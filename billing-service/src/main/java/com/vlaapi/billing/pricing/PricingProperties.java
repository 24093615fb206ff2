package com.vlaapi.billing.pricing;

import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code vla.pricing.*}: prices per tier, overridable by environment variables (application.yml
 * names them). Defaults are the published prices: free $0 with 10K requests included, pro $500 a
 * month with 100K included, enterprise $2,500 a month plus $0.01 per request.
 *
 * @param currency ISO 4217 code printed on invoices
 * @param tiers    price of each tier customer-service knows (free, pro, enterprise)
 */
@ConfigurationProperties("vla.pricing")
public record PricingProperties(String currency, Map<String, TierPrice> tiers) {

    static final Set<String> TIERS = Set.of("free", "pro", "enterprise");

    public PricingProperties {
        if (currency == null || !currency.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("vla.pricing.currency must be an ISO 4217 code like USD, not " + currency);
        }
        if (tiers == null || !tiers.keySet().containsAll(TIERS)) {
            throw new IllegalArgumentException("vla.pricing.tiers must price every tier " + TIERS + ", has "
                    + (tiers == null ? "none" : tiers.keySet()));
        }
        tiers = Map.copyOf(tiers);
    }
}
