package com.vlaapi.client;

import java.util.List;

/**
 * The API's safety review of an action.
 *
 * @param score in [0, 1]: how far the model's action stays inside what the robot did in training; null when unknown
 * @param flags what the review noticed: clipped, out_of_workspace, out_of_distribution, low_gripper_confidence
 * @param robot the robot profile applied, or null
 */
public record Safety(Double score, List<String> flags, String robot) {

    public Safety {
        flags = flags == null ? List.of() : List.copyOf(flags);
    }
}
