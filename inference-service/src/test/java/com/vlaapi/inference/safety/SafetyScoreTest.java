package com.vlaapi.inference.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.vlaapi.modelrunner.bundle.ModelManifest.UnnormStats;
import org.junit.jupiter.api.Test;

class SafetyScoreTest {

    /** tabletop_sim's statistics: dx, dy in +-4 cm, dz in [-4 cm, 0], rotations constant 0, gripper p. */
    private static final UnnormStats TABLETOP = new UnnormStats(
            new double[] {-0.04, -0.04, -0.04, 0, 0, 0, 0},
            new double[] {0.04, 0.04, 0.0, 0, 0, 0, 1},
            new boolean[] {true, true, true, true, true, true, false});

    @Test
    void aConfidentActionInsideTheTrainingRangeScoresOne() {
        assertThat(SafetyScore.of(TABLETOP, new double[] {0.0375, -0.0124, 0.0, 0, 0, 0, 0.0})).isEqualTo(1.0);
        assertThat(SafetyScore.of(TABLETOP, new double[] {0.0, 0.0, -0.04, 0, 0, 0, 1.0})).isEqualTo(1.0);
    }

    @Test
    void anUndecidedGripperLowersTheScore() {
        assertThat(SafetyScore.of(TABLETOP, new double[] {0.01, 0.01, 0, 0, 0, 0, 0.5})).isEqualTo(0.0);
        assertThat(SafetyScore.of(TABLETOP, new double[] {0.01, 0.01, 0, 0, 0, 0, 0.9})).isCloseTo(0.8, within(1e-12));
    }

    @Test
    void leavingTheTrainingRangeLowersTheScoreLinearly() {
        // 2 cm beyond q99 on a 8 cm range: a quarter of the range outside.
        assertThat(SafetyScore.of(TABLETOP, new double[] {0.06, 0, 0, 0, 0, 0, 1})).isCloseTo(0.75, within(1e-12));
        assertThat(SafetyScore.of(TABLETOP, new double[] {0.2, 0, 0, 0, 0, 0, 1})).isEqualTo(0.0);
        // A rotation the robot never made in training.
        assertThat(SafetyScore.of(TABLETOP, new double[] {0, 0, 0, 0.1, 0, 0, 1})).isEqualTo(0.0);
        assertThat(SafetyScore.of(TABLETOP, new double[] {Double.NaN, 0, 0, 0, 0, 0, 1})).isEqualTo(0.0);
    }
}
