package com.vlaapi.inference.safety;

import java.util.List;
import java.util.Set;

/**
 * One action after the safety review: what to send, the model's own action when that differs,
 * the score and the flags.
 *
 * @param values the action to send (held to the robot profile's limits)
 * @param raw    the model's action in the robot's convention, only when {@code values} differ from it
 * @param score  {@link SafetyScore} of the model's action, in [0, 1]; null when the model has no statistics for it
 * @param robot  the profile applied, or null
 * @param chunk  every step of the chunk to send (held to the profile), {@code chunk[0]} being {@code values}; null when one action was asked for
 */
public record SafetyReview(double[] values, double[] raw, Double score, Set<SafetyFlag> flags, String robot,
                           double[][] chunk) {

    /** Whether a request with on_unsafe = reject gets a 422 instead of this action. */
    public boolean unsafe() {
        return flags.stream().anyMatch(SafetyFlag::unsafe);
    }

    public List<String> flagIds() {
        return flags.stream().map(SafetyFlag::id).toList();
    }
}
