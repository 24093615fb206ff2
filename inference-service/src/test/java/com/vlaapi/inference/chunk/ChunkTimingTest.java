package com.vlaapi.inference.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ChunkTimingTest {

    private static final double T0 = 1_796_000_000.0;

    private static Instant after(double seconds) {
        return Instant.ofEpochSecond((long) T0).plusNanos(Math.round(seconds * 1e9));
    }

    @Test
    void anAnswerWithinOneTickStartsAtTheNextActionAndMeetsTheDeadline() {
        ChunkTiming timing = ChunkTiming.of(T0, 10, after(0.030), 8);

        assertThat(timing.dt()).isCloseTo(0.1, within(1e-12));
        assertThat(timing.validFrom()).isEqualTo(1);
        assertThat(timing.deadlineMissed()).isFalse();
    }

    @Test
    void anAnswerAfterTheNextTickMissedItsDeadlineAndSkipsThePassedActions() {
        ChunkTiming timing = ChunkTiming.of(T0, 10, after(0.250), 8);

        assertThat(timing.validFrom()).isEqualTo(3);
        assertThat(timing.deadlineMissed()).isTrue();
    }

    @Test
    void anAnswerAfterTheWholeChunkHasNothingLeft() {
        assertThat(ChunkTiming.of(T0, 10, after(5), 8).validFrom()).isEqualTo(8);
    }

    @Test
    void anObservationStampedAheadOfTheServerClockStartsAtTheFirstAction() {
        ChunkTiming timing = ChunkTiming.of(T0 + 0.5, 20, after(0), 8);

        assertThat(timing.validFrom()).isZero();
        assertThat(timing.deadlineMissed()).isFalse();
        assertThat(timing.t0()).isEqualTo(T0 + 0.5);
    }
}
