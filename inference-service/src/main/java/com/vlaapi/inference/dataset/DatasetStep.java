package com.vlaapi.inference.dataset;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One consented, successful request as a training step: what the robot saw and was told (the image
 * at {@code object_key}, the instruction) and what it was sent. {@code action} is what the client
 * got, held to its robot profile; {@code raw_action} the model's own action when the profile changed
 * it, else null. Both are in the units of {@code unnorm_key}.
 */
record DatasetStep(
        UUID requestId,
        Instant timestamp,
        String instruction,
        List<Double> action,
        List<Double> rawAction,
        String unnormKey,
        String model,
        String modelVersion,
        Double safetyScore,
        List<String> safetyFlags,
        String robot,
        String objectKey) {

    DatasetCursor cursor() {
        return new DatasetCursor(timestamp, requestId);
    }
}
