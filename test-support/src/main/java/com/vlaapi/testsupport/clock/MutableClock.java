package com.vlaapi.testsupport.clock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A UTC clock that reads what the test last set. A service under test gets it as its
 * {@link Clock} bean, so one application context can be walked across month, year and leap-day
 * edges instead of depending on the day the suite runs.
 */
public final class MutableClock extends Clock {

    private final AtomicReference<Instant> now;

    public MutableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /** Starts at the real time, for tests that only pin "now" once they need to. */
    public static MutableClock startingNow() {
        return new MutableClock(Clock.systemUTC().instant());
    }

    public void set(Instant instant) {
        now.set(instant);
    }

    public void advance(Duration duration) {
        now.updateAndGet(instant -> instant.plus(duration));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (!ZoneOffset.UTC.equals(zone)) {
            throw new UnsupportedOperationException("the services keep time in UTC only, not " + zone);
        }
        return this;
    }
}
