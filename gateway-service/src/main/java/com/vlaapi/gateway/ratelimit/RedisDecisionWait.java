package com.vlaapi.gateway.ratelimit;

import com.vlaapi.gateway.LoopTimers;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Waits for Redis's limit decisions, telling a silent Redis from a busy gateway. A fixed short
 * timeout cannot do both: under load this instance may take longer than {@code silent-redis-timeout}
 * to process a reply that Redis sent in time, and failing open then would let a customer past a
 * hard quota while Redis is perfectly healthy. So a decision keeps waiting, in slices of
 * {@code silent-redis-timeout}, up to {@code max-decision-wait}, as long as Redis answered some
 * command of ours during the last slice, or this process itself was stalled (the slice's timer
 * fired late: a GC pause or no CPU). When Redis answered nothing for a whole slice of a process
 * that ran normally (Redis stopped, hung, or a network that drops packets), it fails open after
 * that one slice.
 *
 * <p>A slice's timer runs on the event loop the decision continues on (the client's connection's),
 * which sleeps until its next task is due anyway: no other thread is woken for it, as one was on
 * Reactor's parallel scheduler for every request (on a machine with few cores the wake-ups cost
 * the request more than the Redis round trip), and nothing ticks while no decision waits, as a
 * timer wheel does (100 wake-ups a second for a 10 ms tick). A caller with no event loop gets a
 * timer thread of its own.
 */
@Component
public class RedisDecisionWait implements AutoCloseable {

    private final LimitsProperties limits;
    private final AtomicLong lastAnswerNanos = new AtomicLong(System.nanoTime());
    private final ScheduledThreadPoolExecutor ownTimer =
            new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("limit-decision-timer", true));

    public RedisDecisionWait(LimitsProperties limits) {
        this.limits = limits;
        ownTimer.setRemoveOnCancelPolicy(true);
    }

    /** The wait ended without Redis's decision, and why. */
    static final class NoDecision extends TimeoutException {

        private final FailOpenReason reason;

        NoDecision(FailOpenReason reason, String message) {
            super(message);
            this.reason = reason;
        }

        FailOpenReason reason() {
            return reason;
        }
    }

    /** Records that Redis answered one of this instance's commands. */
    public void answered() {
        lastAnswerNanos.set(System.nanoTime());
    }

    /**
     * The command's answer, delivered on {@code continueOn}, or a {@link NoDecision} once
     * Redis is silent or the wait is over.
     */
    public <T> Mono<T> await(CompletableFuture<T> command, Executor continueOn) {
        // Noted on the thread that read the reply, not after the hand-off to continueOn: under load
        // that hand-off can wait longer than a slice, and Redis must not look silent because of it.
        CompletableFuture<T> noted = command.whenComplete((value, error) -> {
            if (error == null) {
                answered();
            }
        });
        ScheduledExecutorService timer = continueOn instanceof ScheduledExecutorService eventLoop ? eventLoop : ownTimer;
        return awaitSlice(Mono.fromFuture(noted.thenApplyAsync(value -> value, continueOn), true), timer,
                System.nanoTime());
    }

    private <T> Mono<T> awaitSlice(Mono<T> answer, ScheduledExecutorService timer, long firstSliceStart) {
        long sliceStart = System.nanoTime();
        long slice = limits.silentRedisTimeout().toNanos();
        return answer.timeout(LoopTimers.after(limits.silentRedisTimeout(), timer), Mono.defer(() -> {
            long now = System.nanoTime();
            boolean redisAlive = lastAnswerNanos.get() - sliceStart >= 0;
            boolean stalledHere = now - sliceStart > slice + slice / 4;
            boolean mayWaitLonger = now - firstSliceStart < limits.maxDecisionWait().toNanos();
            if ((redisAlive || stalledHere) && mayWaitLonger) {
                return awaitSlice(answer, timer, firstSliceStart);
            }
            return Mono.error(redisAlive || stalledHere
                    ? new NoDecision(FailOpenReason.DECISION_TOO_SLOW,
                            "no decision within " + limits.maxDecisionWait().toMillis() + " ms")
                    : new NoDecision(FailOpenReason.REDIS_SILENT,
                            "Redis answered nothing for " + limits.silentRedisTimeout().toMillis() + " ms"));
        }));
    }

    @Override
    public void close() {
        ownTimer.shutdownNow();
    }
}
