package com.vlaapi.bench;

import java.util.Arrays;

/** Latencies in milliseconds gathered over several rounds; percentiles over all of them. */
final class Samples {

    private double[] millis = new double[0];

    void add(double[] more) {
        double[] joined = Arrays.copyOf(millis, millis.length + more.length);
        System.arraycopy(more, 0, joined, millis.length, more.length);
        millis = joined;
    }

    Stats stats() {
        return Stats.of(millis);
    }
}
