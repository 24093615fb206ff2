package com.vlaapi.gateway.apikey;

import java.time.Instant;
import java.util.UUID;

/**
 * What customer-service says about a key (its internal API's answer, cached as JSON in Redis).
 *
 * @param metered the customer's tier is billed beyond {@code monthlyQuota}: counted, never stopped at it
 */
public record ResolvedApiKey(
        UUID keyId,
        UUID customerId,
        String keyStatus,
        String customerStatus,
        String tier,
        long monthlyQuota,
        int rateLimitPerMinute,
        boolean metered,
        Instant expiresAt) {

    public boolean revoked() {
        return "revoked".equals(keyStatus);
    }

    /** Checked on every request: a cached answer may outlive the key's expiry. */
    public boolean expired(Instant now) {
        return "expired".equals(keyStatus) || (expiresAt != null && !now.isBefore(expiresAt));
    }

    public boolean customerActive() {
        return "active".equals(customerStatus);
    }
}
