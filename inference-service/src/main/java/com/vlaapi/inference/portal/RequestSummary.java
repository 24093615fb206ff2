package com.vlaapi.inference.portal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One request in the portal's list, as the request log holds it. {@code safety_flags} is empty for
 * a request whose action was not reviewed (every error but an unsafe action's 422);
 * {@code image_stored} says whether its image is kept for training (the customer consented).
 */
record RequestSummary(
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
        boolean imageStored) {
}
