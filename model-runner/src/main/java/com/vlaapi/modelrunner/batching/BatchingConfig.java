package com.vlaapi.modelrunner.batching;

import java.time.Duration;

/**
 * @param maxBatchSize  largest batch handed to the model (1 turns batching off)
 * @param maxBatchDelay how long a batch that already has company may wait to fill up; a lone
 *                      request never waits, so an idle server adds no latency
 * @param queueCapacity requests allowed to wait; beyond it callers are told "overloaded" at once
 * @param workers       threads running forward passes, each with its own batch
 */
public record BatchingConfig(int maxBatchSize, Duration maxBatchDelay, int queueCapacity, int workers) {

    public BatchingConfig {
        if (maxBatchSize < 1 || queueCapacity < 1 || workers < 1) {
            throw new IllegalArgumentException("maxBatchSize, queueCapacity and workers must be at least 1");
        }
        if (maxBatchDelay.isNegative()) {
            throw new IllegalArgumentException("maxBatchDelay must not be negative");
        }
    }

    public static BatchingConfig defaults() {
        return new BatchingConfig(32, Duration.ofMillis(2), 256, 1);
    }

    public BatchingConfig withMaxBatchSize(int size) {
        return new BatchingConfig(size, maxBatchDelay, queueCapacity, workers);
    }
}
