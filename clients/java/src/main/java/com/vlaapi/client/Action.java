package com.vlaapi.client;

import java.util.List;

/**
 * The robot's next action.
 *
 * @param values    {@code [dx, dy, dz, droll, dpitch, dyaw, gripper]} for tabletop-v1, in the scale of {@code unnormKey}
 * @param names     what each value is
 * @param unnormKey the robot's action scale the values are in ({@code tabletop_sim}: metres)
 * @param raw       the model's own action when the robot profile's limits changed it; null otherwise
 */
public record Action(List<Double> values, List<String> names, String unnormKey, List<Double> raw) {

    public Action {
        values = List.copyOf(values);
        names = List.copyOf(names);
        raw = raw == null ? null : List.copyOf(raw);
    }
}
