package com.vlaapi.inference.api;

import com.vlaapi.inference.chunk.ChunkResampling;
import com.vlaapi.inference.chunk.ChunkTiming;
import com.vlaapi.inference.chunk.CrossFade;
import com.vlaapi.inference.robotprofile.RobotProfile;
import com.vlaapi.inference.safety.ActionLimits;
import com.vlaapi.modelrunner.Prediction;
import com.vlaapi.servicecontract.error.ApiException;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import java.time.Instant;
import java.util.Locale;

/**
 * The request's chunk fields ({@code return}, {@code observation_time}, {@code control_hz},
 * {@code previous_tail}), checked before the image is decoded: a wrong one is a cheap 400.
 *
 * @param chunk           whether the answer carries the chunk
 * @param observationTime Unix seconds the first action is for, or null for the arrival time
 * @param controlHz       the robot's rate, or null for the model's
 * @param previousTail    the previous chunk's unexecuted actions, or null
 */
record ChunkOptions(boolean chunk, Double observationTime, Double controlHz, double[][] previousTail) {

    /** A robot clock this far ahead of ours is out of sync, not early. */
    static final double MAX_CLOCK_AHEAD_SECONDS = 5.0;
    /** Bounds the chunk a request can ask for: at most this many actions per model step. */
    static final double MAX_CONTROL_HZ = 200.0;
    static final int MAX_TAIL_STEPS = 256;

    private static final ChunkOptions SINGLE_ACTION = new ChunkOptions(false, null, null, null);

    /** @param actionWidth values per action of the model asked for; 0 when that model is not served (it gets its 404 later) */
    static ChunkOptions of(InferenceRequestBody body, Instant receivedAt, int actionWidth) {
        String returns = body.returns();
        if (returns != null && !returns.equals("action") && !returns.equals("chunk")) {
            throw invalid("Field 'return' must be \"action\" (the next action) or \"chunk\" (the model's actions "
                    + "ahead, time-stamped).");
        }
        boolean chunk = "chunk".equals(returns);
        if (!chunk) {
            if (body.observationTime() != null || body.controlHz() != null || body.previousTail() != null) {
                throw invalid("Fields 'observation_time', 'control_hz' and 'previous_tail' go with \"return\": \"chunk\".");
            }
            return SINGLE_ACTION;
        }
        Double observationTime = body.observationTime();
        if (observationTime != null) {
            if (!Double.isFinite(observationTime) || observationTime <= 0) {
                throw invalid("Field 'observation_time' must be the Unix time in seconds (UTC) the image was taken.");
            }
            double ahead = observationTime - ChunkTiming.unixSeconds(receivedAt);
            if (ahead > MAX_CLOCK_AHEAD_SECONDS) {
                throw invalid(String.format(Locale.ROOT, "Field 'observation_time' is %.1f s ahead of the server's "
                        + "clock (UTC): sync the robot's clock (NTP), or leave the field out to use the arrival time.", ahead));
            }
        }
        Double controlHz = body.controlHz();
        if (controlHz != null && (!Double.isFinite(controlHz) || controlHz <= 0 || controlHz > MAX_CONTROL_HZ)) {
            throw invalid("Field 'control_hz' must be a rate in Hz above 0 and at most " + (int) MAX_CONTROL_HZ + ".");
        }
        double[][] tail = body.previousTail();
        if (tail != null) {
            if (tail.length > MAX_TAIL_STEPS) {
                throw invalid("Field 'previous_tail' holds at most " + MAX_TAIL_STEPS + " actions.");
            }
            for (int k = 0; k < tail.length; k++) {
                double[] step = tail[k];
                if (step == null) {
                    throw invalid("Field 'previous_tail' must be a list of actions, each a list of numbers.");
                }
                if (actionWidth > 0 && step.length != actionWidth) {
                    throw invalid("Each action in 'previous_tail' must have " + actionWidth + " values, as the model's "
                            + "actions do; action " + k + " has " + step.length + ".");
                }
                for (double value : step) {
                    if (!Double.isFinite(value)) {
                        throw invalid("Field 'previous_tail' must hold finite numbers.");
                    }
                }
            }
        }
        return new ChunkOptions(true, observationTime, controlHz, tail);
    }

    /**
     * The chunk to hold to the robot's limits: the model's, at the robot's rate, cross-faded into the
     * previous tail.
     *
     * @param modelHz the rate the model was trained for
     */
    double[][] steps(Prediction prediction, double modelHz, RobotProfile profile) {
        int gripper = ActionLimits.gripperIndex(prediction.actionNames());
        double[][] steps = ChunkResampling.toRate(prediction.chunk(), gripper, modelHz, controlHz(modelHz));
        if (previousTail == null || previousTail.length == 0) {
            return steps;
        }
        double[][] tail = new double[previousTail.length][];
        for (int k = 0; k < tail.length; k++) {
            tail[k] = ActionLimits.inModelConvention(previousTail[k], prediction.actionNames(), profile);
        }
        return CrossFade.blend(steps, tail);
    }

    double controlHz(double modelHz) {
        return controlHz == null ? modelHz : controlHz;
    }

    double t0(Instant receivedAt) {
        return observationTime == null ? ChunkTiming.unixSeconds(receivedAt) : observationTime;
    }

    boolean blended() {
        return previousTail != null && previousTail.length > 0;
    }

    private static ApiException invalid(String message) {
        return new ApiException(PublicErrorCode.INVALID_FIELD_VALUE.error(message));
    }
}
