package com.vlaapi.inference.worker;

import java.time.Duration;

/** The pauses between retries of a failing call: doubling from the first up to a ceiling. */
public final class Backoff {

    private final Duration first;
    private final Duration ceiling;
    private Duration next;

    public Backoff(Duration first, Duration ceiling) {
        this.first = first;
        this.ceiling = ceiling;
        this.next = first;
    }

    /** The pause before the next retry; the one after it is twice as long, up to the ceiling. */
    public Duration next() {
        Duration pause = next;
        Duration doubled = pause.multipliedBy(2);
        next = doubled.compareTo(ceiling) <= 0 ? doubled : ceiling;
        return pause;
    }

    /** After a success: the next failure starts again from the first pause. */
    public void reset() {
        next = first;
    }
}
