package com.vlaapi.gateway.ratelimit;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Waits for Redis's limit decisions, telling a silent Redis from a busy gateway. A fixed short
 * timeout cannot do both: under load this instance may take longer than {@code silent-redis-timeout}
 * to process a reply that Redis sent in time, and failing open then would let a customer past a
 * hard quota while Redis is perfectly healthy. So a decision keeps waiting, in slices of
 * {@code silent-redis-timeout}, as long as Redis answered some command of ours during the last
 * slice, up to {@code max-decision-wait}; when Redis answered nothing for a whole slice (stopped,
 * hung, or a network that drops packets), it fails open after one slice.
 */
@Component
public class SharedDecisions {

    private final LimitsProperties limits;
    private final AtomicLong lastAnswerNanos = new AtomicLong(System.nanoTime());

    public SharedDecisions(LimitsProperties limits) {
        this.limits = limits;
    }

    /** Records that Redis answered one of this instance's commands. */
    public void answered() {
        lastAnswerNanos.set(System.nanoTime());
    }

    /**
     * The command's answer, or a {@link TimeoutException} once Redis is silent or the wait is over.
     * The command itself runs once, however often this waits on it again.
     */
    public <T> Mono<T> await(Mono<T> command) {
        CompletableFuture<T> answer = command.doOnNext(value -> answered()).toFuture();
        return awaitSlice(Mono.fromFuture(answer, true), System.nanoTime());
    }

    private <T> Mono<T> awaitSlice(Mono<T> answer, long firstSliceStart) {
        long sliceStart = System.nanoTime();
        return answer.timeout(limits.silentRedisTimeout(), Mono.defer(() -> {
            boolean redisAlive = lastAnswerNanos.get() - sliceStart >= 0;
            boolean mayWaitLonger = System.nanoTime() - firstSliceStart < limits.maxDecisionWait().toNanos();
            if (redisAlive && mayWaitLonger) {
                return awaitSlice(answer, firstSliceStart);
            }
            return Mono.error(new TimeoutException(redisAlive
                    ? "no decision within " + limits.maxDecisionWait().toMillis() + " ms"
                    : "Redis answered nothing for " + limits.silentRedisTimeout().toMillis() + " ms"));
        }));
    }
}
