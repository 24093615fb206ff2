package com.vlaapi.customer.admin;

import com.vlaapi.customer.customer.NewCustomer;
import com.vlaapi.customer.customer.Tier;
import com.vlaapi.customer.customer.TierLimits;
import com.vlaapi.customer.customer.TierProperties;
import com.vlaapi.customer.web.ApiException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Body of POST /admin/v1/customers; quota and rate limit default to the tier's. */
record CreateCustomerRequest(
        String companyName,
        String email,
        String tier,
        Long monthlyQuota,
        Integer rateLimitPerMinute,
        String keyName) {

    private static final int MAX_COMPANY_NAME_LENGTH = 200;
    private static final int MAX_EMAIL_LENGTH = 254;
    // Deliberately loose: the mailbox is the operator's to confirm; this only catches typos.
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    NewCustomer validate(TierProperties tiers) {
        String company = required(companyName, "company_name");
        if (company.length() > MAX_COMPANY_NAME_LENGTH) {
            throw ApiException.invalidRequest("invalid_company_name",
                    "company_name must be at most " + MAX_COMPANY_NAME_LENGTH + " characters.");
        }
        String mailbox = required(email, "email");
        if (mailbox.length() > MAX_EMAIL_LENGTH || !EMAIL.matcher(mailbox).matches()) {
            throw ApiException.invalidRequest("invalid_email", "email must be an address like ops@example.com.");
        }
        Tier plan = Tier.fromId(required(tier, "tier").toLowerCase(Locale.ROOT)).orElseThrow(() ->
                ApiException.invalidRequest("invalid_tier", "tier must be one of free, pro, enterprise."));
        if (monthlyQuota != null && monthlyQuota < 1) {
            throw ApiException.invalidRequest("invalid_quota", "monthly_quota must be a positive number of requests.");
        }
        if (rateLimitPerMinute != null && rateLimitPerMinute < 1) {
            throw ApiException.invalidRequest("invalid_rate_limit",
                    "rate_limit_per_minute must be a positive number of requests.");
        }
        TierLimits defaults = tiers.limitsFor(plan);
        TierLimits limits = new TierLimits(
                monthlyQuota != null ? monthlyQuota : defaults.monthlyQuota(),
                rateLimitPerMinute != null ? rateLimitPerMinute : defaults.rateLimitPerMinute());
        return new NewCustomer(company, mailbox, plan, limits);
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalidRequest("missing_field", field + " is required.");
        }
        return value.strip();
    }
}
