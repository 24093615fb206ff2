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
 * @param robot          the robot profile to hold the action to (default: the account's "default" profile, if any)
 * @param position       the end effector's [x, y, z] in metres, for the profile's workspace check
 * @param onUnsafe       "clip" (the API's default) or "reject" (an unsafe action raises unsafe_action instead)
 */
public record ActOptions(String unnormKey, String model, String idempotencyKey, String robot, double[] position,
                         String onUnsafe) {

    public static ActOptions defaults() {
        return new ActOptions(null, null, null, null, null, null);
    }

    public ActOptions unnormKey(String unnormKey) {
        return new ActOptions(unnormKey, model, idempotencyKey, robot, position, onUnsafe);
    }

    public ActOptions model(String model) {
        return new ActOptions(unnormKey, model, idempotencyKey, robot, position, onUnsafe);
    }

    public ActOptions idempotencyKey(String idempotencyKey) {
        return new ActOptions(unnormKey, model, idempotencyKey, robot, position, onUnsafe);
    }

    public ActOptions robot(String robot) {
        return new ActOptions(unnormKey, model, idempotencyKey, robot, position, onUnsafe);
    }

    public ActOptions position(double x, double y, double z) {
        return new ActOptions(unnormKey, model, idempotencyKey, robot, new double[] {x, y, z}, onUnsafe);
    }

    public ActOptions onUnsafe(String onUnsafe) {
        return new ActOptions(unnormKey, model, idempotencyKey, robot, position, onUnsafe);
    }
}
