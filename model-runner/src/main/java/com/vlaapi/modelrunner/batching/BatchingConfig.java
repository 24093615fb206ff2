package com.vlaapi.modelrunner.batching;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code vla.model.batching.*}.
 *
 * @param maxBatchSize  largest batch handed to the model (1 turns batching off)
 * @param maxBatchDelay how long a batch that already has company may wait to fill up; a lone
 *                      request never waits, so an idle server adds no latency
 * @param queueCapacity requests allowed to wait; beyond it callers are told "overloaded" at once
 * @param workers       threads running forward passes, each with its own batch
 */
public record BatchingConfig(
        @DefaultValue("32") int maxBatchSize,
        @DefaultValue("2ms") Duration maxBatchDelay,
        @DefaultValue("256") int queueCapacity,
        @DefaultValue("1") int workers) {

    public BatchingConfig {
        if (maxBatchSize < 1 || queueCapacity < 1 || workers < 1) {
            throw new IllegalArgumentException("maxBatchSize, queueCapacity and workers must be at least 1");
        }
        if (maxBatchDelay.isNegative()) {
            throw new IllegalArgumentException("maxBatchDelay must not be negative");
        }
    }

    public BatchingConfig withMaxBatchSize(int size) {
        return new BatchingConfig(size, maxBatchDelay, queueCapacity, workers);
    }
}
