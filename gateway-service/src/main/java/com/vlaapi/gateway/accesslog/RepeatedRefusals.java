package com.vlaapi.gateway.accesslog;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import com.vlaapi.gateway.GatewayProperties;
import com.vlaapi.gateway.RequestPathCaches;
import com.vlaapi.servicecontract.metrics.ErrorCodeTag;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Refusals (401, 403, 429) of one kind to one client address get one access log line per
 * {@code vla.gateway.refusal-log-window}: the first is written as any request's, the others in
 * the window are counted and written as one line with their count when it ends. A client that
 * keeps being refused (a robot retrying with a revoked key, a key scan, a burst past its limit)
 * would otherwise choose how many lines the log gets, one per request at whatever rate it sends,
 * and a line is a good share of what a refusal costs. {@code http.server.requests} still counts
 * every refusal. A zero window writes a line for each.
 */
@Component
class RepeatedRefusals {

    private static final Logger log = LoggerFactory.getLogger("vla.access");

    /** More kinds than this at once (refusals to that many addresses in one window) write their counts early. */
    private static final int MAX_WINDOWS = 10_000;
    /** A window's count once its line is written: a refusal that finds it here gets a line of its own. */
    private static final long WRITTEN = Long.MIN_VALUE / 2;

    /** What one line stands for. {@code customerId} null before a key is known (a 401). */
    record Kind(String clientAddress, int status, String errorCode, UUID customerId) {
    }

    /** The refusals of a kind in a window past its first. */
    record Repeats(Kind kind, long count, Duration window) {
    }

    /** Null for a zero window. */
    private final Cache<Kind, AtomicLong> windows;

    @Autowired
    RepeatedRefusals(GatewayProperties properties) {
        this(properties.refusalLogWindow(), Ticker.systemTicker(), Scheduler.systemScheduler(), RepeatedRefusals::write);
    }

    RepeatedRefusals(Duration window, Ticker ticker, Scheduler scheduler, Consumer<Repeats> writer) {
        this.windows = window.isZero() ? null : RequestPathCaches.newBuilder()
                .expireAfterWrite(window)
                .maximumSize(MAX_WINDOWS)
                .ticker(ticker)
                .scheduler(scheduler)
                .removalListener((Kind kind, AtomicLong refusals, RemovalCause cause) -> {
                    long count = refusals.getAndSet(WRITTEN);
                    if (count > 1) {
                        writer.accept(new Repeats(kind, count - 1, window));
                    }
                })
                .build();
    }

    static boolean isRefusal(int status) {
        return status == 401 || status == 403 || status == 429;
    }

    /** Whether this refusal's line is left out, its count going into its window's line. */
    boolean folded(Kind kind) {
        if (windows == null) {
            return false;
        }
        // The first of a window (0) is written; so is one that met a window whose line is already out.
        return windows.get(kind, k -> new AtomicLong()).getAndIncrement() > 0;
    }

    /** Writes the lines of the windows that have ended now rather than on the scheduler's next pass. */
    void cleanUp() {
        if (windows != null) {
            windows.cleanUp();
        }
    }

    private static void write(Repeats repeats) {
        Kind kind = repeats.kind();
        LoggingEventBuilder line = log.atInfo()
                .setMessage(() -> kind.status() + " " + kind.errorCode() + " to " + kind.clientAddress() + ": "
                        + repeats.count() + " more in " + repeats.window().toMillis() + " ms")
                .addKeyValue("status", kind.status())
                .addKeyValue(ErrorCodeTag.KEY, kind.errorCode())
                .addKeyValue("client_address", kind.clientAddress())
                .addKeyValue("repeated", repeats.count());
        if (kind.customerId() != null) {
            line = line.addKeyValue("customer_id", kind.customerId());
        }
        line.log();
    }
}
