package com.vlaapi.gateway.ratelimit;

import com.vlaapi.gateway.apikey.ResolvedApiKey;
import com.vlaapi.gateway.errors.GatewayErrorHandler;
import com.vlaapi.gateway.usagecounter.UsageReconciler;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * One request's burst-limit and quota decision, and its settlement: what every metered request
 * goes through, routed (RateLimitFilter) or an observation of a WebSocket session. Redis decides
 * (reserve.lua) and the request's slot is settled once its answer is known, in a batch off the
 * request path (QuotaSettlements): a 200 becomes usage, anything else frees it. When Redis cannot
 * decide (the connection is down: commands fail at once, see RedisClientOptions; or Redis is
 * silent, see RedisDecisionWait), this instance's local limiter decides (fail open), a metric
 * counts it, and a success is handed to the UsageReconciler.
 */
@Component
public class QuotaReservations {

    private static final Logger log = LoggerFactory.getLogger(QuotaReservations.class);
    private static final Duration FAIL_OPEN_LOG_INTERVAL = Duration.ofSeconds(10);

    /**
     * A decided request.
     *
     * @param month    the quota month it counts in
     * @param decision what was decided, and whether by Redis
     */
    public record Reservation(ResolvedApiKey key, String requestId, YearMonth month, LimitDecision decision) {
    }

    private final RedisLimiter redis;
    private final QuotaSettlements settlements;
    private final LocalLimiter local;
    private final UsageReconciler reconciler;
    private final RedisDecisionWait decisions;
    private final BurstDenials denials;
    private final LimitsProperties limits;
    private final QuotaLeases leases;
    private final Map<FailOpenReason, Counter> failOpen = new EnumMap<>(FailOpenReason.class);
    /** An outage fails every request open; one log line per interval is enough, the metric counts them all. */
    private final AtomicLong nextFailOpenLogNanos = new AtomicLong(System.nanoTime());

    public QuotaReservations(RedisLimiter redis, QuotaSettlements settlements, LocalLimiter local,
                             UsageReconciler reconciler, RedisDecisionWait decisions, BurstDenials denials,
                             LimitsProperties limits, QuotaLeases leases, MeterRegistry meters) {
        this.redis = redis;
        this.settlements = settlements;
        this.local = local;
        this.reconciler = reconciler;
        this.decisions = decisions;
        this.denials = denials;
        this.limits = limits;
        this.leases = leases;
        for (FailOpenReason reason : FailOpenReason.values()) {
            failOpen.put(reason, Counter.builder("vla.gateway.ratelimit.fail.open")
                    .description("Requests decided by the local limiter because Redis did not decide, by reason")
                    .tag("reason", reason.tag())
                    .register(meters));
        }
    }

    /** Off only for trusted deployments and benchmarks: no limits, no counters. */
    public boolean enabled() {
        return limits.enabled();
    }

    /**
     * Decides the request {@code requestId} of {@code key} made at {@code now}, continuing on
     * {@code continueOn} once decided. An allowed request holds a slot until {@link #settle}.
     */
    public Mono<Reservation> reserve(ResolvedApiKey key, String requestId, Instant now, Executor continueOn) {
        return decide(key, requestId, monthOf(now), continueOn);
    }

    /**
     * As {@link #reserve}, except that a slot this instance leased ahead for the customer is taken
     * when it holds one ({@link QuotaLeases}), without a Redis round trip: the reservation's request
     * id is then the slot's, which the caller's request takes.
     */
    public Mono<Reservation> reserveOrTakeLeased(ResolvedApiKey key, String requestId, Instant now,
                                                 Executor continueOn) {
        YearMonth month = monthOf(now);
        Reservation leased = leases.take(key, month);
        return leased != null ? Mono.just(leased) : decide(key, requestId, month, continueOn);
    }

    private Mono<Reservation> decide(ResolvedApiKey key, String requestId, YearMonth month, Executor continueOn) {
        LimitDecision refused = denials.refusal(key);
        if (refused != null) {
            return Mono.just(new Reservation(key, requestId, month, refused));
        }
        CompletableFuture<LimitDecision> reservation = redis.reserve(key, requestId, month).toFuture();
        return decisions.await(reservation, continueOn)
                .doOnNext(decision -> {
                    denials.remember(key, decision);
                    local.observe(key, month, decision);
                    reconciler.decidedByRedis(key.customerId(), month);
                    reconciler.redisAnswered();
                    leases.decided(key, month, decision);
                })
                .onErrorResume(e -> {
                    failOpen.get(e instanceof RedisDecisionWait.NoDecision undecided ? undecided.reason()
                            : FailOpenReason.REDIS_UNAVAILABLE).increment();
                    logFailOpen(key, e);
                    releaseLateReservation(reservation, key, requestId, month);
                    return Mono.fromSupplier(() -> local.decide(key, month));
                })
                .map(decision -> new Reservation(key, requestId, month, decision));
    }

    /**
     * The allowed request ended: {@code billable} when the inference instance answered 200;
     * {@code failure} what ended it otherwise, if anything did (null for an answer).
     */
    public void settle(Reservation reservation, boolean billable, Throwable failure) {
        if (reservation.decision().failedOpen()) {
            if (billable) {
                reconciler.servedWhileFailingOpen(reservation.key().customerId(), reservation.month());
            }
            return;
        }
        if (!billable && failure != null && GatewayErrorHandler.upstreamMayHaveServed(failure)) {
            // The instance may have logged a success before the connection dropped. Left unsettled, the
            // reservation expires and AbandonedReservations counts it as the request log says.
            return;
        }
        settlements.settle(reservation.key().customerId(), reservation.month(), reservation.requestId(), billable);
    }

    /** The quota month (UTC) a request made at {@code now} counts in. */
    public static YearMonth monthOf(Instant now) {
        return YearMonth.from(now.atZone(ZoneOffset.UTC));
    }

    /** Seconds a rate-limited request should wait: until the bucket's next token, at least 1. */
    public static long retryAfterSeconds(LimitDecision decision) {
        return Math.max(1, (long) Math.ceil(decision.retryAfterMillis() / 1000.0));
    }

    /** The refusal of a request over the burst limit. */
    public static ApiError rateLimited(ResolvedApiKey key, LimitDecision decision) {
        return PublicErrorCode.RATE_LIMIT_EXCEEDED.error("More than " + key.rateLimitPerMinute()
                + " requests per minute; retry after " + retryAfterSeconds(decision) + " s (Retry-After).");
    }

    /** Seconds until the monthly quota resets, rounded up. */
    public static long secondsUntilQuotaReset(Instant now) {
        return RateLimitHeaders.secondsUntilNextMonth(now);
    }

    /** The refusal of a request past the month's quota, saying when it resets. */
    public static ApiError quotaExceeded(ResolvedApiKey key, Instant now) {
        return PublicErrorCode.QUOTA_EXCEEDED.error("The " + key.tier() + " plan's " + key.monthlyQuota()
                + " requests for this month are used up. Do not retry before the quota resets at "
                + RateLimitHeaders.nextMonthStart(now) + ", or upgrade the plan.");
    }

    private void logFailOpen(ResolvedApiKey key, Throwable cause) {
        long now = System.nanoTime();
        long next = nextFailOpenLogNanos.get();
        if (now - next >= 0 && nextFailOpenLogNanos.compareAndSet(next, now + FAIL_OPEN_LOG_INTERVAL.toNanos())) {
            log.warn("rate limiting fails open (customer {}, and every request until Redis answers again; "
                    + "count in vla_gateway_ratelimit_fail_open_total): Redis {}", key.customerId(), cause.toString());
        }
    }

    /**
     * Redis may still make the reservation after this instance stopped waiting for it. This request
     * is counted as served while failing open, so such a reservation is released, not settled.
     */
    private void releaseLateReservation(CompletableFuture<LimitDecision> reservation, ResolvedApiKey key,
                                        String requestId, YearMonth month) {
        reservation.thenAccept(late -> {
            if (late.outcome() == LimitDecision.Outcome.ALLOWED) {
                settlements.settle(key.customerId(), month, requestId, false);
            }
        });
    }
}
