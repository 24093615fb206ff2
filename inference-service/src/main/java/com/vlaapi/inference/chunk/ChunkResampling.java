package com.vlaapi.inference.chunk;

/**
 * A chunk at the model's control rate turned into the same stretch of time at the robot's rate.
 * Every dimension but the gripper is a step (a displacement per control tick): a robot step gets
 * the part of the model's steps that falls in its tick, so the path is the same at any rate. The
 * gripper is a command: a robot step takes the one in force when its tick starts.
 */
public final class ChunkResampling {

    private static final double TOLERANCE = 1e-9;

    private ChunkResampling() {
    }

    /**
     * @param chunk   H actions at {@code modelHz}
     * @param gripper index of the gripper dimension, or -1 for none
     * @return {@code floor(H * robotHz / modelHz)} actions (at least one) at {@code robotHz}; the chunk itself when the rates are equal
     */
    public static double[][] toRate(double[][] chunk, int gripper, double modelHz, double robotHz) {
        if (Math.abs(modelHz - robotHz) <= TOLERANCE * modelHz) {
            return chunk;
        }
        double ratio = modelHz / robotHz;   // model steps per robot tick
        int length = Math.max(1, (int) Math.floor(chunk.length / ratio + TOLERANCE));
        int width = chunk[0].length;
        double[][] resampled = new double[length][width];
        for (int j = 0; j < length; j++) {
            double from = j * ratio;
            double to = from + ratio;
            for (int i = (int) Math.floor(from); i < chunk.length && i < to; i++) {
                double overlap = Math.min(to, i + 1) - Math.max(from, i);
                if (overlap <= 0) {
                    continue;
                }
                for (int d = 0; d < width; d++) {
                    if (d != gripper) {
                        resampled[j][d] += chunk[i][d] * overlap;
                    }
                }
            }
            if (gripper >= 0) {
                resampled[j][gripper] = chunk[Math.min(chunk.length - 1, (int) Math.floor(from + TOLERANCE))][gripper];
            }
        }
        return resampled;
    }
}
