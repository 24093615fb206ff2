package com.vlaapi.modelrunner;

import java.util.List;

/**
 * The next action, in the robot's units for {@code unnormKey}, and the model's embedding of the
 * observation (L2-normalised, stored later for similarity search).
 */
public record Prediction(
        String model,
        String modelVersion,
        String unnormKey,
        double[] action,
        double[][] chunk,
        List<String> actionNames,
        float[] embedding,
        int imageWidth,
        int imageHeight,
        Timings timings) {

    /** Where the time went, in milliseconds; {@code batchSize} is the batch this request rode in. */
    public record Timings(double preprocessMs, double queueWaitMs, double forwardMs, int batchSize) {
    }
}
