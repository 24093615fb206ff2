package com.vlaapi.referencepolicy.eval;

/**
 * The tabletop task's definition of a correct action (MODEL_CARD.md; mirrors
 * {@code training/vla_train/evaluation.py}): the xy step points within {@code angleToleranceDeg}
 * of the expert's when the expert moves (at least half a step), and is under half a step
 * otherwise; the arm descends (below a quarter step) exactly when the expert descends; the
 * gripper command is on the expert's side of 0.5.
 */
public record SuccessCriterion(double maxStepM, double angleToleranceDeg) {

    public boolean isSuccess(double[] predicted, double[] expert) {
        double half = 0.5 * maxStepM;
        double expertXy = Math.hypot(expert[0], expert[1]);
        double predictedXy = Math.hypot(predicted[0], predicted[1]);
        if (expertXy >= half) {
            if (predictedXy == 0) {
                return false;
            }
            double cos = (predicted[0] * expert[0] + predicted[1] * expert[1]) / (predictedXy * expertXy);
            if (Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, cos)))) > angleToleranceDeg) {
                return false;
            }
        } else if (predictedXy >= half) {
            return false;
        }
        double descend = -0.25 * maxStepM;
        if ((expert[2] < descend) != (predicted[2] < descend)) {
            return false;
        }
        return (expert[6] >= 0.5) == (predicted[6] >= 0.5);
    }
}
