package com.vlaapi.modelrunner;

import java.util.List;

/**
 * The model's answer in the robot's units for {@code unnormKey}: {@code chunk} holds the next
 * {@code chunk.length} actions at the model's control rate (one row for a single-action model),
 * {@code action} is the first of them. The embedding of the observation is L2-normalised (stored
 * later for similarity search).
 */
public record Prediction(
        String model,
        String modelVersion,
        String unnormKey,
        double[][] chunk,
        List<String> actionNames,
        float[] embedding,
        int imageWidth,
        int imageHeight,
        Timings timings) {

    /** The action to run now: the chunk's first. */
    public double[] action() {
        return chunk[0];
    }

    /** Where the time went, in milliseconds; {@code batchSize} is the batch this request rode in. */
    public record Timings(double preprocessMs, double queueWaitMs, double forwardMs, int batchSize) {
    }
}
