package com.vlaapi.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-27T22:57:36Z"), ZoneOffset.UTC);

    @Test
    void secondsAreTheWait() {
        assertEquals(Optional.of(Duration.ofSeconds(1)), RetryAfter.parse("1", clock));
        assertEquals(Optional.of(Duration.ofSeconds(120)), RetryAfter.parse(" 120 ", clock));
    }

    @Test
    void aDateIsTheWaitUntilThen() {
        assertEquals(Optional.of(Duration.ofSeconds(24)), RetryAfter.parse("Fri, 27 Nov 2026 22:58:00 GMT", clock));
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Fri, 27 Nov 2026 22:00:00 GMT", clock), "already past");
    }

    @Test
    void anythingElseIsNoWait() {
        assertEquals(Optional.empty(), RetryAfter.parse("", clock));
        assertEquals(Optional.empty(), RetryAfter.parse("-1", clock));
        assertEquals(Optional.empty(), RetryAfter.parse("1.5", clock));
        assertEquals(Optional.empty(), RetryAfter.parse("soon", clock));
        assertEquals(Optional.empty(), RetryAfter.parse("99999999999999999999999", clock));
    }
}
