package com.vlaapi.modelrunner;

/**
 * One observation to act on.
 *
 * @param model       bundle name, or {@code null} for the default model
 * @param image       PNG or JPEG bytes from the robot's camera
 * @param instruction what the robot should do, in words
 * @param unnormKey   which robot's action statistics to use, or {@code null} for the model's default
 * @param state       the robot's proprioceptive state in the order and units of the manifest's
 *                    {@code input.state}, or {@code null} when the client sends none
 */
public record InferenceRequest(String model, byte[] image, String instruction, String unnormKey, double[] state) {

    /** An observation without state. */
    public InferenceRequest(String model, byte[] image, String instruction, String unnormKey) {
        this(model, image, instruction, unnormKey, null);
    }
}
