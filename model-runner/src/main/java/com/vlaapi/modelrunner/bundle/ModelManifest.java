package com.vlaapi.modelrunner.bundle;

import java.util.List;
import java.util.Map;

/** The validated content of a bundle's {@code manifest.json}. */
public record ModelManifest(
        String name,
        String version,
        String modelFile,
        ImageSpec image,
        TokenizerSpec tokenizer,
        ActionSpec action,
        int embeddingSize,
        double controlRateHz) {

    /** How the training pipeline turned a camera image into the model's input tensor. */
    public record ImageSpec(int width, int height, double scale, double[] mean, double[] std) {
    }

    /** Word-level tokenizer settings; {@code vocabFile} is relative to the bundle directory. */
    public record TokenizerSpec(String vocabFile, int maxLength) {
    }

    /** Action layout and the per-robot de-normalisation statistics, keyed by {@code unnorm_key}. */
    public record ActionSpec(List<String> names, String defaultUnnormKey, Map<String, UnnormStats> unnorm) {
    }

    /**
     * OpenVLA's rule: {@code 0.5*(x+1)*(q99-q01)+q01} on dimensions whose mask is true; the others
     * (the gripper) pass through unchanged.
     */
    public record UnnormStats(double[] q01, double[] q99, boolean[] mask) {
    }
}
