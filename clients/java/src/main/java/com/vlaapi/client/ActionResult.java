package com.vlaapi.client;

import java.util.List;

/**
 * One answer of {@code POST /v1/inference}.
 *
 * @param requestId  the request's id (quote it to support); the first request's when replayed
 * @param latencyMs  how long the API took, as it measured (the network not included)
 * @param rateLimit  the limits as this answer reported them
 * @param replayed   the answer of an earlier request with the same {@code Idempotency-Key}, served and billed then
 * @param safety     the safety review (score, flags, robot profile)
 * @param attempts   how many requests this call sent (1 without retries)
 */
public record ActionResult(String requestId, String model, String modelVersion, Action action, Safety safety,
                           double latencyMs, RateLimitInfo rateLimit, boolean replayed, int attempts) {

    /** The action's values: {@code [dx, dy, dz, droll, dpitch, dyaw, gripper]} for tabletop-v1. */
    public List<Double> values() {
        return action.values();
    }
}
