package com.vlaapi.gateway.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Scheduler;
import com.vlaapi.gateway.accesslog.RepeatedRefusals.Kind;
import com.vlaapi.gateway.accesslog.RepeatedRefusals.Repeats;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Which refusals get a line of their own, and what the window's line counts; the clock is the test's. */
class RepeatedRefusalsTest {

    private static final Duration WINDOW = Duration.ofSeconds(1);
    private static final Kind SCAN = new Kind("203.0.113.7", 401, "invalid_api_key", null);

    private final AtomicLong nanos = new AtomicLong();
    private final List<Repeats> written = new CopyOnWriteArrayList<>();

    private RepeatedRefusals refusals(Duration window) {
        return new RepeatedRefusals(window, nanos::get, Scheduler.disabledScheduler(), written::add);
    }

    @Test
    void theFirstOfAWindowIsWrittenAndTheRestCountedIntoOneLineWhenItEnds() {
        RepeatedRefusals refusals = refusals(WINDOW);

        assertThat(refusals.folded(SCAN)).isFalse();
        for (int i = 0; i < 41; i++) {
            assertThat(refusals.folded(SCAN)).as("refusal %d of the window", i + 2).isTrue();
        }
        refusals.cleanUp();
        assertThat(written).as("the window has not ended").isEmpty();

        nanos.addAndGet(WINDOW.toNanos());
        refusals.cleanUp();
        assertThat(written).containsExactly(new Repeats(SCAN, 41, WINDOW));

        assertThat(refusals.folded(SCAN)).as("the first of the next window").isFalse();
        nanos.addAndGet(WINDOW.toNanos());
        refusals.cleanUp();
        assertThat(written).as("a window of one refusal has no count to write").hasSize(1);
    }

    @Test
    void eachKindHasItsOwnWindow() {
        RepeatedRefusals refusals = refusals(WINDOW);
        UUID customer = UUID.randomUUID();
        List<Kind> kinds = List.of(SCAN, new Kind("203.0.113.8", 401, "invalid_api_key", null),
                new Kind("203.0.113.7", 401, "missing_api_key", null),
                new Kind("203.0.113.7", 429, "rate_limit_exceeded", customer),
                new Kind("203.0.113.7", 429, "rate_limit_exceeded", UUID.randomUUID()));

        for (Kind kind : kinds) {
            assertThat(refusals.folded(kind)).as("the first of %s", kind).isFalse();
        }
        assertThat(refusals.folded(kinds.get(3))).isTrue();
        assertThat(refusals.folded(kinds.get(3))).isTrue();

        nanos.addAndGet(WINDOW.toNanos());
        refusals.cleanUp();
        assertThat(written).containsExactly(new Repeats(kinds.get(3), 2, WINDOW));
    }

    @Test
    void aZeroWindowWritesEveryRefusal() {
        RepeatedRefusals refusals = refusals(Duration.ZERO);

        for (int i = 0; i < 10; i++) {
            assertThat(refusals.folded(SCAN)).isFalse();
        }
    }

    @Test
    void onlyRefusalsAreFolded() {
        assertThat(List.of(401, 403, 429)).allMatch(RepeatedRefusals::isRefusal);
        assertThat(List.of(200, 400, 404, 408, 413, 500, 502, 503, 504)).noneMatch(RepeatedRefusals::isRefusal);
    }
}
