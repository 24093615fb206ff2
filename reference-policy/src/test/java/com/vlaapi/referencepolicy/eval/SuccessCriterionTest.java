package com.vlaapi.referencepolicy.eval;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SuccessCriterionTest {

    private final SuccessCriterion criterion = new SuccessCriterion(0.04, 25);
    private final double[] moveRight = {0.04, 0, 0, 0, 0, 0, 0};

    @Test
    void moveWithinToleranceSucceedsAndBeyondFails() {
        double ok = Math.toRadians(24);
        double bad = Math.toRadians(26);
        assertTrue(criterion.isSuccess(new double[] {0.03 * Math.cos(ok), 0.03 * Math.sin(ok), 0, 0, 0, 0, 0}, moveRight));
        assertFalse(criterion.isSuccess(new double[] {0.03 * Math.cos(bad), 0.03 * Math.sin(bad), 0, 0, 0, 0, 0}, moveRight));
    }

    @Test
    void descendingWhenExpertMovesOrClosingWhenExpertDoesNotFails() {
        assertFalse(criterion.isSuccess(new double[] {0.04, 0, -0.04, 0, 0, 0, 0}, moveRight));
        assertFalse(criterion.isSuccess(new double[] {0.04, 0, 0, 0, 0, 0, 0.9}, moveRight));
    }

    @Test
    void aboveTheTargetOnlySmallCorrectionsAreAllowed() {
        double[] descend = {0.005, 0, -0.04, 0, 0, 0, 0};
        assertTrue(criterion.isSuccess(new double[] {-0.01, 0.01, -0.035, 0, 0, 0, 0.1}, descend));
        assertFalse(criterion.isSuccess(new double[] {0.03, 0, -0.04, 0, 0, 0, 0}, descend));
    }
}
