package com.vlaapi.customer.admin;

import com.vlaapi.customer.customer.CustomerStatus;
import com.vlaapi.customer.customer.CustomerUpdate;
import com.vlaapi.customer.customer.Tier;
import com.vlaapi.customer.customer.TierLimits;
import com.vlaapi.customer.customer.TierProperties;
import com.vlaapi.servicecontract.error.ApiException;
import org.springframework.http.HttpStatus;

/**
 * Body of PATCH /admin/v1/customers/{customer_id}: any of tier, limits and status. A tier given
 * without limits brings that tier's default limits, so moving a customer to another plan never
 * keeps the old plan's numbers by accident; limits given alongside override them.
 */
record UpdateCustomerRequest(String tier, Long monthlyQuota, Integer rateLimitPerMinute, String status) {

    CustomerUpdate validate(TierProperties tiers) {
        if (tier == null && monthlyQuota == null && rateLimitPerMinute == null && status == null) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "missing_field",
                    "Send at least one of tier, monthly_quota, rate_limit_per_minute, status.");
        }
        Tier plan = CustomerFields.tier(tier);
        Long quota = CustomerFields.monthlyQuota(monthlyQuota);
        Integer rateLimit = CustomerFields.rateLimitPerMinute(rateLimitPerMinute);
        CustomerStatus newStatus = CustomerFields.status(status);
        if (plan != null) {
            TierLimits defaults = tiers.limitsFor(plan);
            quota = quota != null ? quota : defaults.monthlyQuota();
            rateLimit = rateLimit != null ? rateLimit : defaults.rateLimitPerMinute();
        }
        return new CustomerUpdate(plan, quota, rateLimit, newStatus);
    }
}
