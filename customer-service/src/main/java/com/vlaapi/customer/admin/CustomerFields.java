package com.vlaapi.customer.admin;

import com.vlaapi.customer.customer.CustomerStatus;
import com.vlaapi.customer.customer.Tier;
import com.vlaapi.servicecontract.error.ApiException;
import java.util.Arrays;
import java.util.Locale;

/** Checks of the customer fields that both creation and updates accept; null means "not given". */
final class CustomerFields {

    private CustomerFields() {
    }

    static Tier tier(String tier) {
        return tier == null ? null : Tier.fromId(tier.strip().toLowerCase(Locale.ROOT)).orElseThrow(() ->
                ApiException.invalidRequest("invalid_tier", "tier must be one of free, pro, enterprise."));
    }

    static Long monthlyQuota(Long monthlyQuota) {
        if (monthlyQuota != null && monthlyQuota < 1) {
            throw ApiException.invalidRequest("invalid_quota", "monthly_quota must be a positive number of requests.");
        }
        return monthlyQuota;
    }

    static Integer rateLimitPerMinute(Integer rateLimitPerMinute) {
        if (rateLimitPerMinute != null && rateLimitPerMinute < 1) {
            throw ApiException.invalidRequest("invalid_rate_limit",
                    "rate_limit_per_minute must be a positive number of requests.");
        }
        return rateLimitPerMinute;
    }

    static CustomerStatus status(String status) {
        if (status == null) {
            return null;
        }
        String id = status.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(CustomerStatus.values())
                .filter(candidate -> candidate.id().equals(id))
                .findFirst()
                .orElseThrow(() -> ApiException.invalidRequest("invalid_status", "status must be active or suspended."));
    }
}
