package com.vlaapi.customer.robot;

import com.vlaapi.servicecontract.error.ApiException;
import java.util.Set;
import org.springframework.http.HttpStatus;

/** Body of PUT /admin/v1/customers/{customer_id}/robots/{name}: the whole profile, replaced. */
record RobotProfileRequest(
        RobotProfile.Workspace workspace,
        Double maxTranslationM,
        Double maxRotationRad,
        String gripperConvention,
        Double minGripperConfidence,
        String defaultUnnormKey) {

    static final String NAME_PATTERN = "[a-z0-9][a-z0-9._-]{0,63}";
    private static final Set<String> CONVENTIONS = Set.of("close_is_one", "open_is_one");
    private static final double DEFAULT_MIN_GRIPPER_CONFIDENCE = 0.2;

    static String validName(String name) {
        if (name == null || !name.matches(NAME_PATTERN)) {
            throw invalid("invalid_robot_name", "A robot's name is 1 to 64 of a-z, 0-9, '.', '_' and '-', "
                    + "starting with a letter or digit.");
        }
        return name;
    }

    RobotProfileRequest validate() {
        if (workspace != null) {
            if (workspace.min() == null || workspace.max() == null || workspace.min().length != 3
                    || workspace.max().length != 3) {
                throw invalid("invalid_workspace", "workspace needs min and max, each [x, y, z] in metres.");
            }
            for (int axis = 0; axis < 3; axis++) {
                double low = workspace.min()[axis];
                double high = workspace.max()[axis];
                if (!Double.isFinite(low) || !Double.isFinite(high) || low >= high) {
                    throw invalid("invalid_workspace", "workspace.min must be below workspace.max on every axis.");
                }
            }
        }
        positiveOrAbsent(maxTranslationM, "max_translation_m");
        positiveOrAbsent(maxRotationRad, "max_rotation_rad");
        if (gripperConvention != null && !CONVENTIONS.contains(gripperConvention)) {
            throw invalid("invalid_gripper_convention", "gripper_convention must be close_is_one or open_is_one.");
        }
        if (minGripperConfidence != null && !(minGripperConfidence >= 0 && minGripperConfidence <= 1)) {
            throw invalid("invalid_min_gripper_confidence", "min_gripper_confidence must lie in [0, 1].");
        }
        if (defaultUnnormKey != null && defaultUnnormKey.isBlank()) {
            throw invalid("invalid_default_unnorm_key", "default_unnorm_key must not be blank; leave it out instead.");
        }
        return this;
    }

    String conventionOrDefault() {
        return gripperConvention == null ? "close_is_one" : gripperConvention;
    }

    double minGripperConfidenceOrDefault() {
        return minGripperConfidence == null ? DEFAULT_MIN_GRIPPER_CONFIDENCE : minGripperConfidence;
    }

    private static void positiveOrAbsent(Double value, String field) {
        if (value != null && !(value > 0 && Double.isFinite(value))) {
            throw invalid("invalid_" + field, field + " must be a positive number.");
        }
    }

    private static ApiException invalid(String code, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, code, message);
    }
}
