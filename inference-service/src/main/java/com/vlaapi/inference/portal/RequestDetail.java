package com.vlaapi.inference.portal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One request in full: {@link RequestSummary}'s fields and the rest of what the log keeps for the
 * customer. {@code action} is what the robot was sent, {@code raw_action} the model's own action when
 * the safety review changed it (or rejected it); the embedding stays private.
 */
record RequestDetail(
        UUID requestId,
        Instant timestamp,
        String instruction,
        int statusCode,
        String errorCode,
        Double totalLatencyMs,
        Double safetyScore,
        List<String> safetyFlags,
        String robot,
        String model,
        boolean imageStored,
        List<Double> action,
        List<Double> rawAction,
        Double inferenceLatencyMs,
        Integer imageWidth,
        Integer imageHeight,
        Integer imageBytes,
        UUID apiKeyId) {
}
