package com.vlaapi.customer.robot;

import java.time.Instant;

/**
 * A robot's limits, as the admin API answers them and inference-service applies them (it reads
 * {@code customer.robot_profiles_v1}).
 *
 * @param workspace            the end effector's box in the robot's base frame, or null for none
 * @param maxTranslationM      the longest (dx, dy, dz) step, metres; null for no limit
 * @param maxRotationRad       the largest (droll, dpitch, dyaw) step, radians; null for no limit
 * @param gripperConvention    what the robot's gripper value 1 means: close_is_one or open_is_one
 * @param minGripperConfidence below this |2p - 1| the gripper command is flagged low_gripper_confidence
 * @param defaultUnnormKey     the unnorm_key used when a request names none; null for the model's default
 */
public record RobotProfile(
        String name,
        Workspace workspace,
        Double maxTranslationM,
        Double maxRotationRad,
        String gripperConvention,
        double minGripperConfidence,
        String defaultUnnormKey,
        Instant createdAt,
        Instant updatedAt) {

    /** Corners of an axis-aligned box, metres, [x, y, z]. */
    public record Workspace(double[] min, double[] max) {
    }
}
