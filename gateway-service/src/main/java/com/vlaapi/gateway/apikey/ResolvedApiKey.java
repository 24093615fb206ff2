package com.vlaapi.gateway.apikey;

import java.util.UUID;

/** What customer-service says about a key (its internal API's answer, cached as JSON in Redis). */
public record ResolvedApiKey(
        UUID keyId,
        UUID customerId,
        String keyStatus,
        String customerStatus,
        String tier,
        long monthlyQuota,
        int rateLimitPerMinute) {

    public boolean revoked() {
        return !"active".equals(keyStatus);
    }

    public boolean customerActive() {
        return "active".equals(customerStatus);
    }
}
