package com.vlaapi.inference.safety;

import com.vlaapi.modelrunner.bundle.ModelManifest.UnnormStats;

/**
 * A per-request safety score in [0, 1]: how far the returned action stays inside what the robot
 * did in training. It uses only the model's manifest, so it is the same for every instance and
 * every replay of the request log.
 *
 * <p>For each action dimension, with q01/q99 the 1st/99th percentile of the training actions for
 * the request's {@code unnorm_key}:
 * <ul>
 *   <li>a de-normalised dimension (mask true, e.g. a step in metres) scores 1 inside [q01, q99] and
 *       falls linearly to 0 at one range width outside it: an action the robot never took in
 *       training is an extrapolation. A dimension that was constant in training (q01 = q99, like
 *       the rotations of the tabletop task) scores 1 only at that constant;</li>
 *   <li>a passed-through dimension (mask false: the gripper's probability of "close", range [0, 1])
 *       scores its decisiveness, |2p - 1|: 1 for a clear open or close, 0 at p = 0.5 where the
 *       model cannot tell whether to grasp.</li>
 * </ul>
 * The score is the minimum over dimensions: one unsafe dimension makes the action unsafe.
 */
public final class SafetyScore {

    /** Rounding noise of the de-normalisation (float model output times the range). */
    private static final double TOLERANCE = 1e-9;

    private SafetyScore() {
    }

    public static double of(UnnormStats stats, double[] action) {
        double score = 1.0;
        int dims = Math.min(action.length, stats.q01().length);
        for (int i = 0; i < dims; i++) {
            double low = stats.q01()[i];
            double high = stats.q99()[i];
            double value = action[i];
            double dimension = stats.mask()[i] ? containment(value, low, high) : decisiveness(value, low, high);
            score = Math.min(score, dimension);
        }
        return score;
    }

    static double containment(double value, double low, double high) {
        if (!Double.isFinite(value)) {
            return 0.0;
        }
        double range = high - low;
        double outside = value < low ? low - value : value > high ? value - high : 0.0;
        if (outside <= TOLERANCE * Math.max(1.0, Math.abs(range))) {
            return 1.0;
        }
        return range <= 0 ? 0.0 : clamp(1.0 - outside / range);
    }

    static double decisiveness(double value, double low, double high) {
        if (!Double.isFinite(value)) {
            return 0.0;
        }
        double range = high - low;
        if (range <= 0) {
            return 1.0;
        }
        return clamp(Math.abs(2.0 * (value - low) / range - 1.0));
    }

    private static double clamp(double value) {
        return Math.max(0.0, Math.min(1.0, value));
    }
}
