package com.vlaapi.gateway.errors;

import com.vlaapi.gateway.requestid.RequestIdFilter;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import com.vlaapi.servicecontract.error.RequestTooLargeException;
import com.vlaapi.servicecontract.reactive.ReactiveErrorWriter;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Every error that escapes the gateway leaves in the fleet's error body, never as a stack trace:
 * unknown paths, no healthy inference instance, upstream timeouts. An inference instance that
 * refused the connection, or dropped it before answering (it crashed or was stopped), is the
 * fleet's trouble, not the client's, and passes: those are 503 and 502 with {@code Retry-After}.
 */
@Component
@Order(-2)
public class GatewayErrorHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayErrorHandler.class);

    /** Seconds a client should wait before retrying a request the fleet could not serve just now. */
    private static final String RETRY_SOON = "1";
    /** Reactor Netty's exception for a request whose body missed its deadline (the class is not public). */
    private static final String REQUEST_TIMEOUT = "reactor.netty.http.server.RequestTimeoutException";

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        ApiError error = toApiError(exchange, ex);
        if (error.status().value() == 502 || error.status().value() == 503) {
            exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, RETRY_SOON);
        }
        return ReactiveErrorWriter.write(exchange, error, RequestIdFilter.of(exchange));
    }

    /**
     * The instance had the request and may have served it, logging a success, before the failure:
     * the connection dropped or its answer came too late ({@code upstream_connection_lost},
     * {@code upstream_timeout}). Not when the client's body was at fault or no instance was reached.
     */
    public static boolean upstreamMayHaveServed(Throwable ex) {
        boolean clientsDoing = Causes.has(ex, RequestTooLargeException.class) || Causes.hasClassNamed(ex, REQUEST_TIMEOUT)
                || Causes.has(ex, ReadTimeoutException.class);
        boolean neverReached = ex instanceof NotFoundException || Causes.has(ex, ConnectException.class);
        return !clientsDoing && !neverReached && (Causes.has(ex, TimeoutException.class) || Causes.has(ex, IOException.class));
    }

    private static ApiError toApiError(ServerWebExchange exchange, Throwable ex) {
        // An IOException too, but the client's doing: checked before the upstream failures below.
        Optional<RequestTooLargeException> tooLarge = Causes.find(ex, RequestTooLargeException.class);
        if (tooLarge.isPresent()) {
            return tooLarge.get().error();
        }
        // Reactor Netty's request timeout (the body trickled in too slowly) or read timeout (it stopped
        // arriving), met when the body is read before routing (it may be sent twice, or for an
        // Idempotency-Key); the connection is closed after this answer.
        if (Causes.hasClassNamed(ex, REQUEST_TIMEOUT) || Causes.has(ex, ReadTimeoutException.class)) {
            exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
            return PublicErrorCode.REQUEST_TIMEOUT.error(
                    "The request body arrived too slowly; send it at once, then retry.");
        }
        if (ex instanceof NotFoundException || Causes.has(ex, ConnectException.class)) {
            log.warn("no inference instance reachable for request {} ({}): {}", RequestIdFilter.of(exchange),
                    exchange.getRequest().getPath(), ex.toString());
            return PublicErrorCode.UPSTREAM_UNAVAILABLE.error(
                    "No inference server is reachable right now; retry in a few seconds.");
        }
        if (Causes.has(ex, TimeoutException.class)) {
            return PublicErrorCode.UPSTREAM_TIMEOUT.error(
                    "The inference server did not answer in time; retry.");
        }
        // A reset, or Reactor Netty's PrematureCloseException (closed before the answer): both IOExceptions.
        if (Causes.has(ex, IOException.class)) {
            log.warn("inference instance dropped the connection for request {} ({}): {}", RequestIdFilter.of(exchange),
                    exchange.getRequest().getPath(), ex.toString());
            return PublicErrorCode.UPSTREAM_CONNECTION_LOST.error(
                    "The inference server closed the connection before answering; retry in a moment.");
        }
        if (ex instanceof ResponseStatusException status && status.getStatusCode().is4xxClientError()) {
            return ApiError.forStatus(status.getStatusCode(), exchange.getRequest().getMethod().name(),
                    exchange.getRequest().getPath().value());
        }
        log.error("unexpected gateway error on request {} ({})", RequestIdFilter.of(exchange), exchange.getRequest().getPath(), ex);
        return ApiError.internal();
    }
}
