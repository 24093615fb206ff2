package com.vlaapi.modelrunner.action;

import com.vlaapi.modelrunner.bundle.ModelManifest.ActionSpec;
import com.vlaapi.modelrunner.bundle.ModelManifest.UnnormStats;

/** Maps the model's normalised actions into a robot's units with OpenVLA's q01/q99 rule, step by step. */
public final class ActionDenormalizer {

    private final String model;
    private final ActionSpec spec;

    public ActionDenormalizer(String model, ActionSpec spec) {
        this.model = model;
        this.spec = spec;
    }

    /** Resolves {@code null} to the manifest's default key; unknown keys are a client error. */
    public String resolveKey(String unnormKey) {
        String key = unnormKey == null ? spec.defaultUnnormKey() : unnormKey;
        if (!spec.unnorm().containsKey(key)) {
            throw new UnknownUnnormKeyException(key, model, spec.unnorm().keySet());
        }
        return key;
    }

    /** Every step of a chunk with the same statistics. */
    public double[][] denormalize(float[][] chunk, String resolvedKey) {
        double[][] out = new double[chunk.length][];
        for (int k = 0; k < chunk.length; k++) {
            out[k] = denormalize(chunk[k], resolvedKey);
        }
        return out;
    }

    public double[] denormalize(float[] normalized, String resolvedKey) {
        UnnormStats stats = spec.unnorm().get(resolvedKey);
        double[] out = new double[normalized.length];
        for (int i = 0; i < normalized.length; i++) {
            double x = normalized[i];
            out[i] = stats.mask()[i] ? 0.5 * (x + 1) * (stats.q99()[i] - stats.q01()[i]) + stats.q01()[i] : x;
        }
        return out;
    }
}
