package com.vlaapi.customer.customer;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Default limits per tier (vla.tiers.*, e.g. VLA_TIERS_PRO_MONTHLY_QUOTA). They are copied onto a
 * customer when it is created, so changing them later does not alter existing customers.
 */
@ConfigurationProperties("vla.tiers")
public record TierProperties(TierLimits free, TierLimits pro, TierLimits enterprise) {

    public TierProperties {
        requireValid(free, Tier.FREE);
        requireValid(pro, Tier.PRO);
        requireValid(enterprise, Tier.ENTERPRISE);
    }

    public TierLimits limitsFor(Tier tier) {
        return switch (tier) {
            case FREE -> free;
            case PRO -> pro;
            case ENTERPRISE -> enterprise;
        };
    }

    private static void requireValid(TierLimits limits, Tier tier) {
        if (limits == null || limits.monthlyQuota() < 1 || limits.rateLimitPerMinute() < 1) {
            throw new IllegalStateException("vla.tiers." + tier.id()
                    + " needs a positive monthly-quota and rate-limit-per-minute, got " + limits);
        }
    }
}
