package com.vlaapi.modelrunner.batching;

/** One request's share of a batch, with where its time went. */
public record BatchResult<O>(O value, long queueWaitNanos, long batchNanos, int batchSize) {
}
