package com.vlaapi.customer.internal;

import com.vlaapi.customer.apikey.ApiKeyStatus;
import com.vlaapi.customer.customer.CustomerStatus;
import com.vlaapi.customer.customer.Tier;
import java.time.Instant;
import java.util.UUID;

/**
 * What the gateway needs to admit a request: whose key it is, whether key and customer are still
 * in good standing, and the limits to enforce.
 *
 * @param keyStatus as of the lookup; the gateway caches this answer, so it must also compare
 *                  {@code expiresAt} with its own clock: nothing is published when a key expires
 * @param metered   the tier is billed beyond {@code monthlyQuota} instead of stopped at it
 * @param expiresAt null for a key that does not expire
 */
record GatewayKey(
        UUID keyId,
        UUID customerId,
        ApiKeyStatus keyStatus,
        CustomerStatus customerStatus,
        Tier tier,
        long monthlyQuota,
        int rateLimitPerMinute,
        boolean metered,
        Instant expiresAt) {
}
