package com.vlaapi.inference.api;

/**
 * The body of {@code POST /v1/inference}. Every field may be absent at the JSON level so that a
 * missing one gets our error code rather than a parse error.
 *
 * <p>Growth is additive: more cameras arrive as an optional {@code "images": {"primary": ...,
 * "wrist": ...}} object (with {@code image} meaning {@code images.primary}) and proprioception as
 * an optional {@code "state": [numbers]}; bodies valid today stay valid, with the same meaning.
 *
 * @param image       base64 PNG or JPEG, standard or URL-safe alphabet, optionally a data URL
 * @param instruction what the robot should do
 * @param unnormKey   which robot's action statistics; absent: the robot profile's default, else the model's
 * @param model       model name; absent: the default model
 * @param robot       the customer's robot profile to hold the action to; absent: the profile named "default", if any
 * @param position    where the end effector is now, [x, y, z] metres in the profile's workspace frame
 * @param onUnsafe    "clip" (default: send the action held to the limits) or "reject" (answer 422 instead)
 */
public record InferenceRequestBody(String image, String instruction, String unnormKey, String model, String robot,
                                   double[] position, String onUnsafe) {
}
