package com.vlaapi.inference.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The body of {@code POST /v1/inference}. Every field may be absent at the JSON level so that a
 * missing one gets our error code rather than a parse error. Growth is additive: bodies valid
 * before a field was added stay valid, with the same meaning.
 *
 * @param image           base64 PNG or JPEG, standard or URL-safe alphabet, optionally a data URL; the
 *                        camera named "primary"
 * @param images          the images by camera name, {@code {"primary": ...}}; instead of {@code image}
 * @param instruction     what the robot should do
 * @param state           proprioception in the order and units of the model's contract (GET /v1/models/{id})
 * @param unnormKey       which robot's action statistics; absent: the robot profile's default, else the model's
 * @param model           model name; absent: the default model
 * @param robot           the customer's robot profile to hold the action to; absent: the profile named "default", if any
 * @param position        where the end effector is now, [x, y, z] metres in the profile's workspace frame
 * @param onUnsafe        "clip" (default: send the action held to the limits) or "reject" (answer 422 instead)
 * @param returns         "action" (default: the next action) or "chunk" (the model's actions ahead, time-stamped)
 * @param observationTime Unix seconds (UTC) the observation was taken; absent: when it arrived here
 * @param controlHz       the robot's control rate; absent: the rate the model was trained for
 * @param previousTail    the previous chunk's actions not yet run, the first being for {@code observation_time}
 */
public record InferenceRequestBody(String image, Map<String, String> images, String instruction, double[] state,
                                   String unnormKey, String model, String robot, double[] position, String onUnsafe,
                                   @JsonProperty("return") String returns, Double observationTime, Double controlHz,
                                   double[][] previousTail) {

    /** A body of the original fields alone, as the OpenVLA-style endpoint builds one. */
    static InferenceRequestBody of(String instruction, String unnormKey) {
        return new InferenceRequestBody(null, null, instruction, null, unnormKey, null, null, null, null, null, null,
                null, null);
    }
}
