package com.vlaapi.bench;

import java.util.Arrays;

/** Percentiles of a sample of durations, in milliseconds. */
record Stats(double p50, double p95, double p99, double mean, int n) {

    static Stats of(double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        return new Stats(percentile(sorted, 0.50), percentile(sorted, 0.95), percentile(sorted, 0.99),
                Arrays.stream(sorted).average().orElse(0), sorted.length);
    }

    private static double percentile(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
