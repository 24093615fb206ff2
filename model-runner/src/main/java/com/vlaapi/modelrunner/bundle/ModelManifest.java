package com.vlaapi.modelrunner.bundle;

import java.nio.file.Path;
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
        double controlRateHz,
        OodSpec ood,
        int chunkLength,
        StateSpec state) {

    /** Whether the bundle ships reference embeddings for the out-of-distribution signal (older bundles do not). */
    public boolean hasOod() {
        return ood != null;
    }

    /** Whether the model takes a proprioceptive state input (bundles without {@code input.state} do not). */
    public boolean takesState() {
        return state != null;
    }

    /** How the training pipeline turned a camera image into the model's input tensor. */
    public record ImageSpec(int width, int height, double scale, double[] mean, double[] std) {
    }

    /**
     * The optional proprioceptive state input: one number per name, in these units; {@code required}
     * false means the model was trained to work without it too.
     */
    public record StateSpec(List<String> names, List<String> units, String description, boolean required) {

        public int size() {
            return names.size();
        }
    }

    /** Word-level tokenizer settings; {@code vocabFile} is relative to the bundle directory. */
    public record TokenizerSpec(String vocabFile, int maxLength) {
    }

    /**
     * Action layout and the per-robot de-normalisation statistics, keyed by {@code unnorm_key}; the
     * model predicts {@link ModelManifest#chunkLength()} such actions at a time.
     */
    public record ActionSpec(List<String> names, String defaultUnnormKey, Map<String, UnnormStats> unnorm) {
    }

    /**
     * OpenVLA's rule: {@code 0.5*(x+1)*(q99-q01)+q01} on dimensions whose mask is true; the others
     * (the gripper) pass through unchanged. {@code units}: one per action dimension after
     * de-normalisation, or {@code null} where the bundle does not say (bundles before version 2).
     */
    public record UnnormStats(double[] q01, double[] q99, boolean[] mask, List<String> units) {

        public UnnormStats(double[] q01, double[] q99, boolean[] mask) {
            this(q01, q99, mask, null);
        }
    }

    /**
     * The out-of-distribution signal's references: {@code count} L2-normalised embeddings of training
     * scenes (little-endian float32, count x embedding size, in {@code referenceFile}); a request's
     * distance is its mean cosine distance to the {@code neighbours} nearest, and {@code threshold}
     * the training pipeline's data-derived bound on an in-distribution distance.
     */
    public record OodSpec(Path referenceFile, int count, int neighbours, double threshold) {
    }
}
