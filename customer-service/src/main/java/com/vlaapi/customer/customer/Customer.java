package com.vlaapi.customer.customer;

import java.time.Instant;
import java.util.UUID;

public record Customer(
        UUID customerId,
        String companyName,
        String email,
        Tier tier,
        long monthlyQuota,
        int rateLimitPerMinute,
        CustomerStatus status,
        Instant createdAt) {
}
