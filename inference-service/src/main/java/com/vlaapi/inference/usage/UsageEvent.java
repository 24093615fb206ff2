package com.vlaapi.inference.usage;

import java.time.Instant;
import java.util.UUID;

/**
 * One billable request as billing-service receives it (snake_case on the wire). The request id is
 * the idempotency key: billing stores each id once, however often it is delivered.
 *
 * @param servedAt when the request arrived (UTC): decides the billing month
 */
public record UsageEvent(UUID requestId, UUID customerId, UUID apiKeyId, Instant servedAt, String model) {
}
