package com.vlaapi.modelrunner.engine;

/**
 * One sample's raw model output: the normalised actions ({@code chunk length x action size}; one row
 * for a single-action model) and the L2-normalised embedding.
 */
public record PolicyOutput(float[][] normalizedActions, float[] embedding) {
}
