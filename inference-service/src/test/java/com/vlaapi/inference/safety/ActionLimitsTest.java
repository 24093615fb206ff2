package com.vlaapi.inference.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.vlaapi.inference.robotprofile.RobotProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActionLimitsTest {

    private static final List<String> NAMES = List.of("dx", "dy", "dz", "droll", "dpitch", "dyaw", "gripper");
    private static final RobotProfile ARM = new RobotProfile("arm-3", new double[] {-0.3, -0.3, 0.0},
            new double[] {0.3, 0.3, 0.4}, 0.02, 0.1, false, 0.2, null);

    @Test
    void anActionInsideTheLimitsIsSentUnchanged() {
        double[] action = {0.01, -0.005, 0.0, 0.05, 0.0, -0.02, 0.95};

        ActionLimits.LimitedAction limited = ActionLimits.apply(action, NAMES, ARM, new double[] {0.0, 0.0, 0.2});

        assertThat(limited.values()).containsExactly(action);
        assertThat(limited.raw()).isNull();
        assertThat(limited.flags()).isEmpty();
    }

    @Test
    void aLongStepIsShortenedToTheLimitKeepingItsDirection() {
        double[] action = {0.03, 0.04, 0.0, 0.0, 0.3, 0.4, 1.0};

        ActionLimits.LimitedAction limited = ActionLimits.apply(action, NAMES, ARM, null);

        assertThat(limited.values()).containsExactly(new double[] {0.012, 0.016, 0.0, 0.0, 0.06, 0.08, 1.0}, within(1e-12));
        assertThat(limited.raw()).containsExactly(action);
        assertThat(limited.flags()).containsExactly(SafetyFlag.CLIPPED);
    }

    @Test
    void aStepLeavingTheWorkspaceEndsOnItsEdge() {
        double[] action = {0.0, 0.0, -0.015, 0.0, 0.0, 0.0, 0.0};

        ActionLimits.LimitedAction limited = ActionLimits.apply(action, NAMES, ARM, new double[] {0.1, 0.1, 0.005});

        assertThat(limited.values()[2]).isCloseTo(-0.005, within(1e-12));
        assertThat(limited.flags()).containsExactlyInAnyOrder(SafetyFlag.CLIPPED, SafetyFlag.OUT_OF_WORKSPACE);
    }

    @Test
    void withoutAPositionTheWorkspaceCannotBeChecked() {
        double[] action = {0.0, 0.0, -0.015, 0.0, 0.0, 0.0, 0.0};

        assertThat(ActionLimits.apply(action, NAMES, ARM, null).flags()).isEmpty();
    }

    @Test
    void anUndecidedGripperIsFlaggedAndTheConventionIsTheRobots() {
        RobotProfile openIsOne = new RobotProfile("gripper-up", null, null, null, null, true, 0.2, null);

        ActionLimits.LimitedAction limited = ActionLimits.apply(new double[] {0, 0, 0, 0, 0, 0, 0.55}, NAMES, openIsOne, null);

        assertThat(limited.values()[6]).isCloseTo(0.45, within(1e-12));
        assertThat(limited.raw()).isNull();
        assertThat(limited.flags()).containsExactly(SafetyFlag.LOW_GRIPPER_CONFIDENCE);
        assertThat(ActionLimits.apply(new double[] {0, 0, 0, 0, 0, 0, 0.9}, NAMES, null, null).flags()).isEmpty();
    }

    @Test
    void onlyFlagsThatChangeOrDoubtTheMotionAreUnsafe() {
        assertThat(SafetyFlag.CLIPPED.unsafe()).isTrue();
        assertThat(SafetyFlag.OUT_OF_WORKSPACE.unsafe()).isTrue();
        assertThat(SafetyFlag.OUT_OF_DISTRIBUTION.unsafe()).isTrue();
        assertThat(SafetyFlag.LOW_GRIPPER_CONFIDENCE.unsafe()).isFalse();
    }
}
