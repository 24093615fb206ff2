package com.vlaapi.customer.customer;

/** How much a customer may use the inference API. */
public record TierLimits(long monthlyQuota, int rateLimitPerMinute) {
}
