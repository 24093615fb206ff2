package com.vlaapi.gateway.ratelimit;

import com.vlaapi.gateway.apikey.ApiKeyAuthenticationFilter;
import com.vlaapi.gateway.apikey.ResolvedApiKey;
import com.vlaapi.gateway.edge.UnreadBody;
import com.vlaapi.gateway.idempotency.IdempotencyFilter;
import com.vlaapi.gateway.requestid.RequestIdFilter;
import com.vlaapi.gateway.routing.RouteMetering;
import com.vlaapi.servicecontract.error.ApiError;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
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
 * ({@link RouteMetering}), with the limit headers on every response to one; the decision and its
 * settlement, fail-open included, are {@link QuotaReservations}'.
 */
@Component
public class RateLimitFilter implements GlobalFilter, Ordered {

    private final QuotaReservations reservations;
    private final Clock clock;

    public RateLimitFilter(QuotaReservations reservations, Clock clock) {
        this.reservations = reservations;
        this.clock = clock;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        ResolvedApiKey key = exchange.getAttribute(ApiKeyAuthenticationFilter.CUSTOMER_ATTRIBUTE);
        if (key == null || !reservations.enabled() || !RouteMetering.metered(exchange)) {
            return chain.filter(exchange);
        }
        String requestId = RequestIdFilter.of(exchange).toString();
        // One reading per request: the month it is counted in and the reset times it is told must agree.
        Instant now = clock.instant();
        // An Idempotency-Key's claim holds the request id already, so that request keeps it.
        Mono<QuotaReservations.Reservation> reserved =
                exchange.getRequest().getHeaders().containsHeader(IdempotencyFilter.HEADER)
                        ? reservations.reserve(key, requestId, now, connectionThread(exchange))
                        : reservations.reserveOrTakeLeased(key, requestId, now, connectionThread(exchange));
        return reserved
                .flatMap(reservation -> {
                    if (!reservation.requestId().equals(requestId)) {
                        RequestIdFilter.continueRequest(exchange, UUID.fromString(reservation.requestId()));
                    }
                    LimitDecision decision = reservation.decision();
                    HttpHeaders limitHeaders = new HttpHeaders();
                    RateLimitHeaders.apply(limitHeaders, key, decision, now);
                    return switch (decision.outcome()) {
                        case RATE_LIMITED -> rateLimited(exchange, key, decision, limitHeaders);
                        case QUOTA_EXCEEDED -> quotaExceeded(exchange, key, limitHeaders, now);
                        case ALLOWED -> forward(exchange, chain, reservation, limitHeaders);
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

    private Mono<Void> forward(ServerWebExchange exchange, GatewayFilterChain chain,
                               QuotaReservations.Reservation reservation, HttpHeaders limitHeaders) {
        // Downstream headers are copied onto the response later; put ours back just before it is sent.
        exchange.getResponse().beforeCommit(() -> {
            exchange.getResponse().getHeaders().putAll(limitHeaders);
            return Mono.empty();
        });
        AtomicReference<Throwable> failure = new AtomicReference<>();
        return chain.filter(exchange).doOnError(failure::set)
                .doFinally(signal -> reservations.settle(reservation, answeredSuccessfully(exchange), failure.get()));
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
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER,
                Long.toString(QuotaReservations.retryAfterSeconds(decision)));
        return reply(exchange, QuotaReservations.rateLimited(key, decision));
    }

    private Mono<Void> quotaExceeded(ServerWebExchange exchange, ResolvedApiKey key, HttpHeaders limitHeaders,
                                     Instant now) {
        exchange.getResponse().getHeaders().putAll(limitHeaders);
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER,
                Long.toString(QuotaReservations.secondsUntilQuotaReset(now)));
        return reply(exchange, QuotaReservations.quotaExceeded(key, now));
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
