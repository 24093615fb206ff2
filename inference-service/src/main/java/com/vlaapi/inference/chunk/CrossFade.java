package com.vlaapi.inference.chunk;

/**
 * Blends a new chunk into the unexecuted tail of the previous one, so the robot does not jump
 * where the two disagree. Over the {@code n} steps both cover, step {@code k} (from 0) is
 * {@code (1 - w) * tail[k] + w * fresh[k]} with {@code w = (k + 1) / (n + 1)}: the old plan fades out
 * linearly, the first blended step already leans on the new one, and every step after the overlap
 * is the new chunk's own. The same weight applies to every dimension, the gripper included.
 */
public final class CrossFade {

    private CrossFade() {
    }

    /** @return a new array; {@code fresh} and {@code tail} are left as they are */
    public static double[][] blend(double[][] fresh, double[][] tail) {
        double[][] blended = new double[fresh.length][];
        int overlap = Math.min(fresh.length, tail.length);
        for (int k = 0; k < fresh.length; k++) {
            blended[k] = fresh[k].clone();
            if (k < overlap) {
                double w = (k + 1.0) / (overlap + 1.0);
                for (int d = 0; d < blended[k].length; d++) {
                    blended[k][d] = (1 - w) * tail[k][d] + w * fresh[k][d];
                }
            }
        }
        return blended;
    }
}
