package com.vlaapi.inference.contract;

import java.util.List;
import java.util.Map;

/**
 * What a client must match to get the answers this model was trained to give: the public document
 * of {@code GET /v1/models/{id}}, built from the bundle's manifest. Fields are only ever added.
 *
 * @param cameras    by camera name; {@code image} in an inference request means {@code images.primary}
 * @param state      the proprioceptive state the model reads, or null when it takes none
 * @param unnormKeys by {@code unnorm_key}: the robots whose units the model can answer in
 */
public record ModelContract(
        String id,
        String version,
        String description,
        Map<String, Camera> cameras,
        State state,
        Action action,
        Map<String, UnnormKey> unnormKeys,
        Tokenizer tokenizer,
        Links links) {

    /**
     * One camera's frames as the model saw them in training: the whole frame resized to
     * width x height by {@code resize} (explained in {@code resizeRule}), then per channel
     * (pixel / scale - mean) / std.
     */
    public record Camera(int width, int height, String channelOrder, String resize, String resizeRule,
                         double scale, double[] mean, double[] std, List<String> encodings, boolean required) {
    }

    /** The state vector, in this order and these units. */
    public record State(List<String> names, List<String> units, String description, boolean required) {
    }

    /**
     * Each action has one value per name; a chunk holds {@code chunkLength} actions, one per
     * control step of 1 / {@code controlRateHz} seconds.
     */
    public record Action(List<String> names, int chunkLength, double controlRateHz, String defaultUnnormKey) {
    }

    /**
     * A robot's units: an action dimension whose {@code normalized} flag is true is mapped from the
     * model's [-1, 1] onto [q01, q99] (the 1st and 99th percentiles of that robot's training
     * actions); the others pass through (the gripper's probability of closing).
     *
     * @param units one per action dimension, or null where the bundle does not say
     */
    public record UnnormKey(String description, List<String> units, double[] q01, double[] q99, boolean[] normalized) {
    }

    /**
     * Instructions are lower-cased and split into words of [a-z0-9]; words past {@code maxWords}
     * are not read, and an instruction over {@code maxChars} characters is refused.
     */
    public record Tokenizer(String type, int maxWords, int maxChars) {
    }

    public record Links(String self, String parity) {
    }
}
