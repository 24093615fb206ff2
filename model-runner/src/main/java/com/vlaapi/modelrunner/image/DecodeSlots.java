package com.vlaapi.modelrunner.image;

import com.vlaapi.modelrunner.batching.OverloadedException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Bounds how many images are decoded and resized at once, across every model of a runner. */
public final class DecodeSlots {

    private final DecodingConfig config;
    private final Semaphore slots;

    public DecodeSlots(DecodingConfig config) {
        this.config = config;
        this.slots = new Semaphore(config.slots(), true);
    }

    /** Runs {@code work} in a slot, or refuses with "overloaded" when none frees up in time. */
    <T> T run(Supplier<T> work) {
        boolean acquired;
        try {
            acquired = slots.tryAcquire(config.maxWait().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw OverloadedException.decodersBusy(config.slots());
        }
        try {
            return work.get();
        } finally {
            slots.release();
        }
    }
}
