package com.vlaapi.customer.portal.requests;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One logged request with its action, as inference-service's portal API answers it. */
public record RequestDetail(UUID requestId, Instant timestamp, String instruction, int statusCode, String errorCode,
                     Double totalLatencyMs, Double inferenceLatencyMs, Double safetyScore, List<String> safetyFlags,
                     String robot, String model, List<Double> action, List<Double> rawAction, Integer imageWidth,
                     Integer imageHeight, Long imageBytes, UUID apiKeyId, boolean imageStored) {
}
