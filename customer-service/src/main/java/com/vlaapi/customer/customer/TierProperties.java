package com.vlaapi.customer.customer;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The tiers and their limits ({@code vla.customer.tiers.*}, e.g.
 * {@code VLA_CUSTOMER_TIERS_PRO_MONTHLY_QUOTA}), defined here and nowhere else. A tier's quota and
 * rate limit are copied onto a customer when it is created, so changing them later does not alter
 * existing customers; whether it is metered is read at every key lookup, as billing-service reads
 * the tier's price when it bills. Each tier is a type of its own so that its defaults can be
 * declared here.
 */
@ConfigurationProperties("vla.customer.tiers")
public record TierProperties(@DefaultValue Free free, @DefaultValue Pro pro, @DefaultValue Enterprise enterprise) {

    public TierProperties {
        requireValid(free, Tier.FREE);
        requireValid(pro, Tier.PRO);
        requireValid(enterprise, Tier.ENTERPRISE);
    }

    public TierLimits limitsFor(Tier tier) {
        Plan plan = plan(tier);
        return new TierLimits(plan.monthlyQuota(), plan.rateLimitPerMinute());
    }

    public boolean metered(Tier tier) {
        return plan(tier).metered();
    }

    private Plan plan(Tier tier) {
        return switch (tier) {
            case FREE -> free;
            case PRO -> pro;
            case ENTERPRISE -> enterprise;
        };
    }

    private static void requireValid(Plan plan, Tier tier) {
        if (plan.monthlyQuota() < 1 || plan.rateLimitPerMinute() < 1) {
            throw new IllegalStateException("vla.customer.tiers." + tier.id()
                    + " needs a positive monthly-quota and rate-limit-per-minute, got " + plan);
        }
    }

    /** What a tier gives a customer. */
    interface Plan {

        /** Successful requests per calendar month (UTC). */
        long monthlyQuota();

        /** Requests per minute, as a bucket refilled continuously. */
        int rateLimitPerMinute();

        /** Billed beyond the monthly quota instead of stopped at it (the gateway still counts). */
        boolean metered();
    }

    public record Free(
            @DefaultValue("10000") long monthlyQuota,
            @DefaultValue("60") int rateLimitPerMinute,
            @DefaultValue("false") boolean metered) implements Plan {
    }

    public record Pro(
            @DefaultValue("100000") long monthlyQuota,
            @DefaultValue("600") int rateLimitPerMinute,
            @DefaultValue("false") boolean metered) implements Plan {
    }

    public record Enterprise(
            @DefaultValue("1000000") long monthlyQuota,
            @DefaultValue("6000") int rateLimitPerMinute,
            @DefaultValue("true") boolean metered) implements Plan {
    }
}
