package com.vlaapi.customer.customer;

import java.time.Instant;
import java.util.UUID;

/** @param trainingImagesConsentAt since when its request images may be kept for training; null: never */
public record Customer(
        UUID customerId,
        String companyName,
        String email,
        Tier tier,
        long monthlyQuota,
        int rateLimitPerMinute,
        CustomerStatus status,
        Instant createdAt,
        Instant trainingImagesConsentAt) {
}
