package com.vlaapi.inference.requestlog;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One row of {@code inference.inference_logs}: a request as billing and dashboards see it. Fields
 * are {@code null} when handling stopped before they were known (an unreadable body has no
 * instruction; only a successful request has an action and an embedding).
 *
 * @param timestamp   when the request arrived (UTC)
 * @param action      the action the client was sent (after its robot profile's limits); null without one
 * @param safetyScore the action's safety score (safety/ActionSafety), in [0, 1]; null without an action
 * @param robot       the robot profile applied, if any
 * @param rawAction   the model's own action when it differs from {@code action} (clipped, or rejected)
 * @param safetyFlags the safety flags raised (clipped, out_of_workspace, ...); null without an action
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
        Double safetyScore,
        String robot,
        double[] rawAction,
        List<String> safetyFlags) {

    /** Billable: a successful inference (HTTP 200). Only these go to billing's usage outbox. */
    public boolean billable() {
        return statusCode == 200;
    }
}
