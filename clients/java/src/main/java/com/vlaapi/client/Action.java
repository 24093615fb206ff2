package com.vlaapi.client;

import java.util.List;

/**
 * The robot's next action.
 *
 * @param values    {@code [dx, dy, dz, droll, dpitch, dyaw, gripper]} for tabletop-v1, in the scale of {@code unnormKey}
 * @param names     what each value is
 * @param unnormKey the robot's action scale the values are in ({@code tabletop_sim}: metres)
 */
public record Action(List<Double> values, List<String> names, String unnormKey) {

    public Action {
        values = List.copyOf(values);
        names = List.copyOf(names);
    }
}
