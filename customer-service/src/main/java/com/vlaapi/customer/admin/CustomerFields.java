package com.vlaapi.customer.admin;

import com.vlaapi.customer.customer.CustomerStatus;
import com.vlaapi.customer.customer.Tier;
import com.vlaapi.servicecontract.LowerCaseId;
import com.vlaapi.servicecontract.error.ApiException;
import java.util.Locale;
import org.springframework.http.HttpStatus;

/** Checks of the customer fields that both creation and updates accept; null means "not given". */
final class CustomerFields {

    private CustomerFields() {
    }

    static Tier tier(String tier) {
        return oneOf(Tier.class, tier, "invalid_tier", "tier must be one of free, pro, enterprise.");
    }

    static Long monthlyQuota(Long monthlyQuota) {
        if (monthlyQuota != null && monthlyQuota < 1) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_quota",
                    "monthly_quota must be a positive number of requests.");
        }
        return monthlyQuota;
    }

    static Integer rateLimitPerMinute(Integer rateLimitPerMinute) {
        if (rateLimitPerMinute != null && rateLimitPerMinute < 1) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_rate_limit",
                    "rate_limit_per_minute must be a positive number of requests.");
        }
        return rateLimitPerMinute;
    }

    static CustomerStatus status(String status) {
        return oneOf(CustomerStatus.class, status, "invalid_status", "status must be active or suspended.");
    }

    /** Operators may write a tier or status in any case, with spaces around it. */
    private static <E extends Enum<E> & LowerCaseId> E oneOf(Class<E> type, String given, String code, String message) {
        return given == null ? null : LowerCaseId.fromId(type, given.strip().toLowerCase(Locale.ROOT))
                .orElseThrow(() -> new ApiException(HttpStatus.BAD_REQUEST, code, message));
    }
}
