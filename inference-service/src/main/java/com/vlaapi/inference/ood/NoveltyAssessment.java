package com.vlaapi.inference.ood;

/**
 * How unlike the model's training scenes a request's observation is.
 *
 * @param distance           mean cosine distance from the request's embedding to its nearest reference embeddings
 * @param threshold          the model's bound on an in-distribution distance (from its bundle, derived from training data)
 * @param outOfDistribution  {@code distance > threshold}
 * @param factor             in [0, 1], to multiply the safety score by: 1 up to the threshold, then
 *                           {@code threshold / distance} (0.5 at twice the threshold)
 */
public record NoveltyAssessment(double distance, double threshold, boolean outOfDistribution, double factor) {

    static NoveltyAssessment of(double distance, double threshold) {
        boolean out = distance > threshold;
        return new NoveltyAssessment(distance, threshold, out, out ? threshold / distance : 1.0);
    }
}
