package com.vlaapi.modelrunner.engine;

/** One sample's raw model output: the normalised action and the L2-normalised embedding. */
public record PolicyOutput(float[] normalizedAction, float[] embedding) {
}
