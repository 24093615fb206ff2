package com.vlaapi.gateway.ratelimit;

import com.vlaapi.gateway.apikey.ApiKeyAuthenticationFilter;
import com.vlaapi.gateway.apikey.ResolvedApiKey;
import com.vlaapi.gateway.edge.UnreadBody;
import com.vlaapi.gateway.errors.GatewayErrorHandler;
import com.vlaapi.gateway.requestid.RequestIdFilter;
import com.vlaapi.gateway.routing.RouteMetering;
import com.vlaapi.gateway.usagecounter.UsageReconciler;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClientResponse;

/**
 * Burst limit and monthly quota for every authenticated request of a metered route
 * ({@link RouteMetering}), with the limit headers on every response to one. When Redis cannot
 * decide (the connection is down: commands fail at once, see RedisClientOptions; or Redis is
 * silent, see RedisDecisionWait), this instance's local limiter decides (fail open) and a metric
 * counts it.
 */
@Component
public class RateLimitFilter implements GlobalFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);
    private static final Duration FAIL_OPEN_LOG_INTERVAL = Duration.ofSeconds(10);

    private final RedisLimiter redis;
    private final LocalLimiter local;
    private final UsageReconciler reconciler;
    private final RedisDecisionWait decisions;
    private final LimitsProperties limits;
    private final Map<FailOpenReason, Counter> failOpen = new EnumMap<>(FailOpenReason.class);
    private final Clock clock;
    /** An outage fails every request open; one log line per interval is enough, the metric counts them all. */
    private final AtomicLong nextFailOpenLogNanos = new AtomicLong(System.nanoTime());

    public RateLimitFilter(RedisLimiter redis, LocalLimiter local, UsageReconciler reconciler, RedisDecisionWait decisions,
                           LimitsProperties limits, MeterRegistry meters, Clock clock) {
        this.redis = redis;
        this.clock = clock;
        this.decisions = decisions;
        this.local = local;
        this.reconciler = reconciler;
        this.limits = limits;
        for (FailOpenReason reason : FailOpenReason.values()) {
            failOpen.put(reason, Counter.builder("vla.gateway.ratelimit.fail.open")
                    .description("Requests decided by the local limiter because Redis did not decide, by reason")
                    .tag("reason", reason.tag())
                    .register(meters));
        }
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        ResolvedApiKey key = exchange.getAttribute(ApiKeyAuthenticationFilter.CUSTOMER_ATTRIBUTE);
        if (key == null || !limits.enabled() || !RouteMetering.metered(exchange)) {
            return chain.filter(exchange);
        }
        String requestId = RequestIdFilter.of(exchange).toString();
        // One reading per request: the month it is counted in and the reset times it is told must agree.
        Instant now = clock.instant();
        YearMonth month = YearMonth.from(now.atZone(ZoneOffset.UTC));
        CompletableFuture<LimitDecision> reservation = redis.reserve(key, requestId, month).toFuture();
        return decisions.await(reservation, connectionThread(exchange))
                .doOnNext(decision -> {
                    local.observe(key, month, decision);
                    reconciler.decidedByRedis(key.customerId(), month);
                    reconciler.redisAnswered();
                })
                .onErrorResume(e -> {
                    failOpen.get(e instanceof RedisDecisionWait.NoDecision undecided ? undecided.reason()
                            : FailOpenReason.REDIS_UNAVAILABLE).increment();
                    logFailOpen(key, e);
                    releaseLateReservation(reservation, key, requestId, month);
                    return Mono.fromSupplier(() -> local.decide(key, month));
                })
                .flatMap(decision -> {
                    HttpHeaders limitHeaders = new HttpHeaders();
                    RateLimitHeaders.apply(limitHeaders, key, decision, now);
                    return switch (decision.outcome()) {
                        case RATE_LIMITED -> rateLimited(exchange, key, decision, limitHeaders);
                        case QUOTA_EXCEEDED -> quotaExceeded(exchange, key, limitHeaders, now);
                        case ALLOWED -> forward(exchange, chain, key, decision, requestId, month, limitHeaders);
                    };
                });
    }

    /**
     * The event loop of the client's connection. Continuing there once Redis has answered, rather
     * than on Redis's thread, lets the upstream request use a pooled connection of the same loop:
     * the request body, the upstream call and the response then need no further thread hand-offs.
     */
    private static Executor connectionThread(ServerWebExchange exchange) {
        if (ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest()) instanceof Connection connection) {
            return connection.channel().eventLoop();
        }
        return Runnable::run;
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
                redis.settle(key, requestId, month, false)
                        .timeout(limits.maxDecisionWait())
                        .subscribe(used -> { }, e -> log.warn("could not release reservation {}: {}", requestId, e.toString()));
            }
        });
    }

    private Mono<Void> forward(ServerWebExchange exchange, GatewayFilterChain chain, ResolvedApiKey key,
                               LimitDecision decision, String requestId, YearMonth month, HttpHeaders limitHeaders) {
        // Downstream headers are copied onto the response later; put ours back just before it is sent.
        exchange.getResponse().beforeCommit(() -> {
            exchange.getResponse().getHeaders().putAll(limitHeaders);
            return Mono.empty();
        });
        AtomicReference<Throwable> failure = new AtomicReference<>();
        return chain.filter(exchange).doOnError(failure::set).doFinally(signal -> {
            boolean billable = answeredSuccessfully(exchange);
            if (decision.failedOpen()) {
                if (billable) {
                    reconciler.servedWhileFailingOpen(key.customerId(), month);
                }
                return;
            }
            if (!billable && failure.get() != null && GatewayErrorHandler.upstreamMayHaveServed(failure.get())) {
                // The instance may have logged a success before the connection dropped. Left unsettled, the
                // reservation expires and AbandonedReservations counts it as the request log says.
                return;
            }
            // Bounded by Redis's command timeout (spring.data.redis.timeout).
            redis.settle(key, requestId, month, billable)
                    .doOnNext(used -> decisions.answered())
                    .subscribe(used -> { }, e -> log.warn("could not settle request {} in Redis: {}", requestId, e.toString()));
        });
    }

    /**
     * Billable as the request log sees it: inference-service records a success before it starts
     * its 200, so an instance that began a 200 and died before its body arrived has logged a
     * success, though the client got a 502 (an answer is written whole, WholeAnswerFilter). The
     * counter follows the log. Without an instance's answer, the final status decides.
     */
    private static boolean answeredSuccessfully(ServerWebExchange exchange) {
        if (exchange.getAttribute(ServerWebExchangeUtils.CLIENT_RESPONSE_ATTR) instanceof HttpClientResponse upstream) {
            return upstream.status().code() == 200;
        }
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        return status != null && status.value() == 200;
    }

    private Mono<Void> rateLimited(ServerWebExchange exchange, ResolvedApiKey key, LimitDecision decision,
                                   HttpHeaders limitHeaders) {
        exchange.getResponse().getHeaders().putAll(limitHeaders);
        long seconds = Math.max(1, (long) Math.ceil(decision.retryAfterMillis() / 1000.0));
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        return reply(exchange, PublicErrorCode.RATE_LIMIT_EXCEEDED.error(
                "More than " + key.rateLimitPerMinute() + " requests per minute; retry after "
                        + seconds + " s (Retry-After)."));
    }

    private Mono<Void> quotaExceeded(ServerWebExchange exchange, ResolvedApiKey key, HttpHeaders limitHeaders,
                                     Instant now) {
        exchange.getResponse().getHeaders().putAll(limitHeaders);
        long untilReset = RateLimitHeaders.secondsUntilNextMonth(now);
        String resetsAt = RateLimitHeaders.nextMonthStart(now).toString();
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(untilReset));
        return reply(exchange, PublicErrorCode.QUOTA_EXCEEDED.error(
                "The " + key.tier() + " plan's " + key.monthlyQuota() + " requests for this month are used up. "
                        + "Do not retry before the quota resets at " + resetsAt + ", or upgrade the plan."));
    }

    private static Mono<Void> reply(ServerWebExchange exchange, ApiError error) {
        return UnreadBody.refuse(exchange, error);
    }

    /** After authentication, before routing. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 20;
    }
}
