package com.vlaapi.client;

/**
 * What {@code act} may send besides the image and instruction; null leaves the API's default.
 * Built from {@link #defaults()}: {@code ActOptions.defaults().unnormKey("tabletop_sim_cm")}.
 *
 * @param unnormKey      the robot's action scale (default: the model's)
 * @param model          the model (default {@code tabletop-v1})
 * @param idempotencyKey the {@code Idempotency-Key} of this call (default: a new UUID per call). The
 *                       same key with the same request within 24 hours returns the first answer,
 *                       served and billed once: how to fetch the answer of a call that timed out
 */
public record ActOptions(String unnormKey, String model, String idempotencyKey) {

    public static ActOptions defaults() {
        return new ActOptions(null, null, null);
    }

    public ActOptions unnormKey(String unnormKey) {
        return new ActOptions(unnormKey, model, idempotencyKey);
    }

    public ActOptions model(String model) {
        return new ActOptions(unnormKey, model, idempotencyKey);
    }

    public ActOptions idempotencyKey(String idempotencyKey) {
        return new ActOptions(unnormKey, model, idempotencyKey);
    }
}
