package com.vlaapi.gateway;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;

/**
 * Timeouts on the request path, timed by an event loop rather than by Reactor's parallel
 * scheduler. A loop sleeps until its next scheduled task anyway, so a timer there wakes no other
 * thread; one on the parallel scheduler is a task on a shared queue and a wake-up of its thread
 * per request, which on a machine with few cores costs more than the request's own work.
 */
public final class LoopTimers {

    private LoopTimers() {
    }

    /** Emits 0 once {@code delay} has passed on {@code timer}; cancelling it cancels the timer. */
    public static Mono<Long> after(Duration delay, ScheduledExecutorService timer) {
        return Mono.create(sink -> {
            ScheduledFuture<?> timeout = timer.schedule(() -> sink.success(0L), delay.toNanos(), TimeUnit.NANOSECONDS);
            sink.onDispose(() -> timeout.cancel(false));
        });
    }

    /** As {@link #after}, on the event loop the caller runs on; off a loop, on Reactor's parallel scheduler. */
    public static Mono<Long> afterOnThisLoop(Duration delay) {
        EventExecutor loop = ThreadExecutorMap.currentExecutor();
        return loop != null ? after(delay, loop) : Mono.delay(delay);
    }
}
