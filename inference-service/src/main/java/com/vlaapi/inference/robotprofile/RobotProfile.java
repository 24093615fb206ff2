package com.vlaapi.inference.robotprofile;

/**
 * One of a customer's robots, as customer-service publishes it ({@code customer.robot_profiles_v1}):
 * the limits its actions are held to.
 *
 * @param workspaceMin         the end effector's box in the robot's base frame, metres [x, y, z]; null for none
 * @param maxTranslationM      the longest (dx, dy, dz) step, metres; null for no limit
 * @param maxRotationRad       the largest (droll, dpitch, dyaw) step, radians; null for no limit
 * @param openIsOne            the robot's gripper reads 1 as open (the model's 1 is close)
 * @param minGripperConfidence below this |2p - 1| the gripper command is flagged low_gripper_confidence
 * @param defaultUnnormKey     used when a request names no unnorm_key; null for the model's default
 */
public record RobotProfile(
        String name,
        double[] workspaceMin,
        double[] workspaceMax,
        Double maxTranslationM,
        Double maxRotationRad,
        boolean openIsOne,
        double minGripperConfidence,
        String defaultUnnormKey) {

    /** The profile named "default" applies to requests that name none. */
    public static final String DEFAULT_NAME = "default";

    public boolean hasWorkspace() {
        return workspaceMin != null && workspaceMax != null;
    }
}
