package com.vlaapi.billing.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.testsupport.clock.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The month-end projection, with the clock pinned to each moment that matters. */
class ProjectionTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));

    @Test
    void keepsThePaceOfTheMonthSoFar() {
        clock.set(Instant.parse("2026-11-16T00:00:00Z"));
        assertThat(projected(1_500)).as("half of November").isEqualTo(3_000);

        clock.set(Instant.parse("2026-11-20T12:00:00Z"));
        assertThat(projected(1_950)).as("19.5 of 30 days").isEqualTo(3_000);

        clock.set(Instant.parse("2028-02-15T12:00:00Z"));
        assertThat(projected(1_450)).as("14.5 of a leap February's 29 days").isEqualTo(2_900);
    }

    @Test
    void roundsToTheNearestRequest() {
        clock.set(Instant.parse("2026-11-13T00:00:00Z"));
        assertThat(projected(1)).as("1 in 12 of 30 days: 2.5").isEqualTo(3);
        clock.set(Instant.parse("2026-11-11T00:00:00Z"));
        assertThat(projected(1)).as("1 in 10 of 30 days").isEqualTo(3);
    }

    @Test
    void duringTheFirstDayTheRequestsSoFarCountAsOneDays() {
        clock.set(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(projected(0)).isZero();

        clock.set(Instant.parse("2026-11-01T00:01:00Z"));
        assertThat(projected(1)).as("not 43,200 from one request in a minute").isEqualTo(30);

        clock.set(Instant.parse("2026-11-01T06:00:00Z"));
        assertThat(projected(100)).isEqualTo(3_000);

        clock.set(Instant.parse("2026-11-02T00:00:00Z"));
        assertThat(projected(100)).as("at 24:00 the rule is the linear one").isEqualTo(3_000);
        clock.advance(Duration.ofHours(12));
        assertThat(projected(150)).isEqualTo(3_000);
    }

    @Test
    void atTheMonthsEndIsTheRequestsSoFar() {
        clock.set(Instant.parse("2026-11-30T23:59:59.999Z"));
        assertThat(projected(3_000)).isEqualTo(3_000);
        assertThat(projected(1_000_000)).isEqualTo(1_000_000);

        clock.set(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(projected(0)).as("December has begun, with no requests yet").isZero();
    }

    @Test
    void aBillionRequestsDoNotOverflow() {
        clock.set(Instant.parse("2026-12-01T12:00:00Z"));
        assertThat(projected(1_000_000_000L)).isEqualTo(31_000_000_000L);
    }

    private long projected(long requestsSoFar) {
        return Projection.requests(requestsSoFar, clock.instant());
    }
}
