package com.vlaapi.customer.portal.requests;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One logged request, as inference-service's portal API lists it. */
public record RequestRow(UUID requestId, Instant timestamp, String instruction, int statusCode, String errorCode,
                  Double totalLatencyMs, Double safetyScore, List<String> safetyFlags, String robot, String model,
                  boolean imageStored) {
}
