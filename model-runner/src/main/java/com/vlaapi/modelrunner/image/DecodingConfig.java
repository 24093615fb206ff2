package com.vlaapi.modelrunner.image;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code vla.model.decoding.*}: decoding and resizing a large image holds about 140 MB for a moment,
 * so only a few run at once, whatever the number of request threads.
 *
 * @param concurrency images decoded and resized at once; 0: one per core
 * @param maxWait     how long a request waits for its turn before it is told "overloaded": a
 *                    burst of ordinary camera images (a few ms each) must take turns, not be refused
 */
public record DecodingConfig(
        @DefaultValue("0") int concurrency,
        @DefaultValue("5s") Duration maxWait) {

    public DecodingConfig {
        if (concurrency < 0) {
            throw new IllegalArgumentException("concurrency must be 0 (one per core) or more");
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative");
        }
    }

    /** The concurrency, with 0 resolved to this machine's cores. */
    public int slots() {
        return concurrency > 0 ? concurrency : Runtime.getRuntime().availableProcessors();
    }
}
