package com.vlaapi.inference.chunk;

import java.time.Instant;

/**
 * When a chunk's actions are for, and which of them are still ahead once the answer leaves:
 * action {@code k} is for {@code t0 + k * dt}.
 *
 * @param t0             Unix seconds the first action is for: the observation's time
 * @param dt             seconds between actions, {@code 1 / control_hz}
 * @param validFrom      the first action whose time has not passed when the answer is sent; the chunk's
 *                       length when none is left
 * @param deadlineMissed the answer left after {@code t0 + dt}: the robot's next control tick passed without it
 */
public record ChunkTiming(double t0, double dt, int validFrom, boolean deadlineMissed) {

    public static ChunkTiming of(double t0, double controlHz, Instant answeredAt, int length) {
        double dt = 1.0 / controlHz;
        double elapsed = unixSeconds(answeredAt) - t0;
        int validFrom = elapsed <= 0 ? 0 : (int) Math.min(length, Math.ceil(elapsed / dt));
        return new ChunkTiming(t0, dt, validFrom, elapsed > dt);
    }

    public static double unixSeconds(Instant instant) {
        return instant.getEpochSecond() + instant.getNano() / 1e9;
    }
}
