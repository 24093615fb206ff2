package com.vlaapi.inference.requestlog;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code inference.inference_logs}: a request as billing and dashboards see it. Fields
 * are {@code null} when handling stopped before they were known (an unreadable body has no
 * instruction; only a successful request has an action and an embedding).
 *
 * @param timestamp   when the request arrived (UTC)
 * @param safetyScore {@code safety.SafetyScore} of the returned action, in [0, 1]; null without one
 */
public record InferenceLogEntry(
        UUID requestId,
        UUID customerId,
        UUID apiKeyId,
        Instant timestamp,
        String model,
        String modelVersion,
        String unnormKey,
        String instruction,
        double[] action,
        Double inferenceLatencyMs,
        double totalLatencyMs,
        int statusCode,
        String errorCode,
        Integer imageBytes,
        Integer imageWidth,
        Integer imageHeight,
        Integer batchSize,
        float[] embedding,
        Double safetyScore) {

    /** Billable: a successful inference (HTTP 200). Only these go to billing's usage outbox. */
    public boolean billable() {
        return statusCode == 200;
    }
}
