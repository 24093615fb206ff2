package com.vlaapi.billing.usage;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/**
 * One billable request (a successful inference), as inference-service's usage relay sends it.
 *
 * Fields a newer inference-service may add are ignored, so deploying it before billing-service
 * cannot turn every batch into a 400 that the relay would retry forever.
 *
 * @param servedAt when the request arrived at inference-service: decides its billing month (UTC)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UsageEvent(UUID requestId, UUID customerId, UUID apiKeyId, Instant servedAt, String model) {
}
