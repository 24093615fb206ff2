package com.vlaapi.inference.contract;

import java.util.List;

/**
 * The answer of a parity check. Differences are absolute in the frame's units ({@code abs}) and as
 * a fraction of the dimension's training range ({@code relative}); the verdict compares the relative
 * one with {@code tolerance}.
 *
 * @param verdict {@code match} when every frame matches, else {@code mismatch}
 * @param worst   where the largest relative difference of all frames is
 */
record ParityReport(String model, String modelVersion, double tolerance, String verdict, double maxAbsDiff,
                    double maxRelativeDiff, Worst worst, List<FrameResult> frames) {

    static final String MATCH = "match";
    static final String MISMATCH = "mismatch";

    /** {@code expected} is what this service computed: one action per step the frame sent. */
    record FrameResult(int index, String unnormKey, String verdict, double maxAbsDiff, double maxRelativeDiff, int step,
                       String dimension, double[][] expected) {
    }

    record Worst(int frame, int step, String dimension, double expected, double submitted) {
    }
}
