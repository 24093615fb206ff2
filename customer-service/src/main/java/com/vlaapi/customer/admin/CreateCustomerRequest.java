package com.vlaapi.customer.admin;

import com.vlaapi.customer.customer.NewCustomer;
import com.vlaapi.customer.customer.Tier;
import com.vlaapi.customer.customer.TierLimits;
import com.vlaapi.customer.customer.TierProperties;
import com.vlaapi.servicecontract.error.ApiException;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;

/**
 * Body of POST /admin/v1/customers; quota and rate limit default to the tier's. The first key's
 * name and lifetime are checked where every key's are, when it is issued.
 */
record CreateCustomerRequest(
        String companyName,
        String email,
        String tier,
        Long monthlyQuota,
        Integer rateLimitPerMinute,
        String keyName,
        Long expiresInSeconds) {

    private static final int MAX_COMPANY_NAME_LENGTH = 200;
    private static final int MAX_EMAIL_LENGTH = 254;
    // Deliberately loose: the mailbox is the operator's to confirm; this only catches typos.
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    NewCustomer validate(TierProperties tiers) {
        String company = required(companyName, "company_name");
        if (company.length() > MAX_COMPANY_NAME_LENGTH) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_company_name",
                    "company_name must be at most " + MAX_COMPANY_NAME_LENGTH + " characters.");
        }
        String mailbox = required(email, "email");
        if (mailbox.length() > MAX_EMAIL_LENGTH || !EMAIL.matcher(mailbox).matches()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_email",
                    "email must be an address like ops@example.com.");
        }
        Tier plan = CustomerFields.tier(required(tier, "tier"));
        Long quota = CustomerFields.monthlyQuota(monthlyQuota);
        Integer rateLimit = CustomerFields.rateLimitPerMinute(rateLimitPerMinute);
        TierLimits defaults = tiers.limitsFor(plan);
        TierLimits limits = new TierLimits(
                quota != null ? quota : defaults.monthlyQuota(),
                rateLimit != null ? rateLimit : defaults.rateLimitPerMinute());
        return new NewCustomer(company, mailbox, plan, limits);
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "missing_field", field + " is required.");
        }
        return value.strip();
    }
}
