package com.vlaapi.gateway.ratelimit;

import com.vlaapi.gateway.redis.LuaScripts;
import com.vlaapi.gateway.redis.PipelinedScripts;
import com.vlaapi.gateway.usagecounter.UsageCounters;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Settles quota reservations in batches, off the request path: a request's thread only queues its
 * settle. One thread flushes the queue {@code settle-delay} after the first settle queued into it,
 * or at once when {@link #FULL_BATCH} are waiting, with one settle-batch.lua call per customer and
 * month (one customer's keys share a hash slot) settling all of that customer's requests, every
 * call of a flush sent in one write ({@link PipelinedScripts}).
 *
 * <p>Waiting costs no exactness: a reservation counts against the quota until it is settled, so a
 * later settle can only hold a slot a little longer, never let a customer past a hard quota. A
 * settle Redis does not take (Redis down) is logged, and its reservation expires and is counted
 * from the request log (AbandonedReservations), as a settle of a gateway that died would be. On a
 * graceful shutdown the queue is flushed after the web server has stopped (no more settles come)
 * and before the Redis connection factory closes.
 */
@Component
public class QuotaSettlements implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(QuotaSettlements.class);
    private static final RedisScript<Long> SETTLE_BATCH = LuaScripts.load("ratelimit/settle-batch.lua", Long.class);
    /**
     * Enough to spread a flush's cost over many requests; a flush of more would only hold slots
     * longer, and keep Redis busy longer with one script.
     */
    private static final int FULL_BATCH = 64;
    /** A stopping gateway waits this long at most for the last settles' replies. */
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

    private record Settle(UUID customer, YearMonth month, String requestId, boolean success) {
    }

    private record CustomerMonth(UUID customer, YearMonth month) {
    }

    private final Queue<Settle> queue = new ConcurrentLinkedQueue<>();
    /** Settles queued and not yet taken by a flush; may dip below zero while a settle is half queued. */
    private final AtomicInteger queued = new AtomicInteger();
    private final PipelinedScripts scripts;
    private final UsageCounters counters;
    private final RedisDecisionWait decisions;
    private final LimitsProperties limits;
    private volatile ScheduledThreadPoolExecutor flusher;
    /** The replies of every flush so far; touched by the flusher thread only. */
    private CompletableFuture<Void> replies = CompletableFuture.completedFuture(null);

    public QuotaSettlements(LettuceConnectionFactory redis, UsageCounters counters, RedisDecisionWait decisions,
                            LimitsProperties limits) {
        this.scripts = new PipelinedScripts(redis);
        this.counters = counters;
        this.decisions = decisions;
        this.limits = limits;
    }

    /**
     * Queues the settle of an allowed request: {@code success} makes it usage, otherwise its slot is
     * freed. Costs the caller a queue insert, and a timer entry for the first settle of a batch.
     */
    public void settle(UUID customer, YearMonth month, String requestId, boolean success) {
        if (flusher == null) {
            log.warn("request {} ended after quota settlement stopped; its reservation expires and is counted from"
                    + " the request log", requestId);
            return;
        }
        queue.offer(new Settle(customer, month, requestId, success));
        // Counted after the offer: a flush that took this settle before it was counted leaves the
        // count one low until this increment, never a settle in the queue with no flush to come.
        int waiting = queued.incrementAndGet();
        if (waiting == 1) {
            scheduleFlush(limits.settleDelay());
        } else if (waiting == FULL_BATCH) {
            scheduleFlush(Duration.ZERO);
        }
    }

    private void scheduleFlush(Duration delay) {
        ScheduledThreadPoolExecutor running = flusher;
        if (running != null) {
            try {
                running.schedule(this::flush, delay.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException stopping) {
                // stop() flushes the queue itself.
            }
        }
    }

    /** On the flusher thread. */
    private void flush() {
        try {
            send(drain());
        } catch (RuntimeException e) {
            log.warn("could not flush quota settles; their reservations expire and are counted from the request log", e);
        }
    }

    private Map<CustomerMonth, List<Settle>> drain() {
        Map<CustomerMonth, List<Settle>> batches = new LinkedHashMap<>();
        for (Settle settle = queue.poll(); settle != null; settle = queue.poll()) {
            queued.decrementAndGet();
            batches.computeIfAbsent(new CustomerMonth(settle.customer(), settle.month()), c -> new ArrayList<>())
                    .add(settle);
        }
        return batches;
    }

    private void send(Map<CustomerMonth, List<Settle>> batches) {
        if (batches.isEmpty()) {
            return;
        }
        List<PipelinedScripts.Call> calls = new ArrayList<>(batches.size());
        batches.forEach((customerMonth, settles) -> calls.add(call(customerMonth, settles)));
        List<CompletableFuture<Long>> sent;
        try {
            sent = scripts.evalAll(SETTLE_BATCH, calls);
        } catch (RuntimeException e) {
            batches.forEach((customerMonth, settles) -> notSettled(customerMonth, settles, e));
            return;
        }
        List<CompletableFuture<?>> done = new ArrayList<>(sent.size() + 1);
        done.add(replies);
        int i = 0;
        for (Map.Entry<CustomerMonth, List<Settle>> batch : batches.entrySet()) {
            done.add(sent.get(i++).handle((used, e) -> {
                if (e == null) {
                    decisions.answered();
                } else {
                    notSettled(batch.getKey(), batch.getValue(), e);
                }
                return null;
            }));
        }
        replies = CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }

    private PipelinedScripts.Call call(CustomerMonth customerMonth, List<Settle> settles) {
        List<String> args = new ArrayList<>(1 + 2 * settles.size());
        args.add(Long.toString(UsageCounters.LIFETIME.toSeconds()));
        for (Settle settle : settles) {
            args.add(settle.requestId());
            args.add(settle.success() ? "1" : "0");
        }
        return new PipelinedScripts.Call(List.of(counters.counterKey(customerMonth.customer(), customerMonth.month()),
                counters.reservationsKey(customerMonth.customer(), customerMonth.month())), args);
    }

    private static void notSettled(CustomerMonth customerMonth, List<Settle> settles, Throwable e) {
        log.warn("could not settle {} requests of customer {} in Redis (their reservations expire and are counted"
                        + " from the request log), {} first: {}", settles.size(), customerMonth.customer(),
                settles.get(0).requestId(), e.toString());
    }

    @Override
    public void start() {
        CustomizableThreadFactory thread = new CustomizableThreadFactory("quota-settle-");
        thread.setDaemon(true);
        flusher = new ScheduledThreadPoolExecutor(1, thread);
    }

    /** Flushes what is queued and waits for Redis's replies, so a graceful stop loses no settle. */
    @Override
    public void stop() {
        ScheduledThreadPoolExecutor executor = flusher;
        if (executor == null) {
            return;
        }
        flusher = null;
        try {
            executor.submit(() -> {
                flush();
                return replies;
            }).get().get(SHUTDOWN_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("stopping before Redis answered the last quota settles ({}); their reservations expire and are"
                    + " counted from the request log", e.toString());
        } finally {
            executor.shutdownNow();
            scripts.close();
        }
        if (!queue.isEmpty()) {
            log.warn("{} requests ended while quota settlement stopped; their reservations expire and are counted from"
                    + " the request log", queue.size());
        }
    }

    @Override
    public boolean isRunning() {
        return flusher != null;
    }

    /**
     * After the web server (it stops at {@code DEFAULT_PHASE - 2048}) and the WebSocket sessions,
     * so every request has queued its settle; before the Redis connection factory (phase 0).
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
