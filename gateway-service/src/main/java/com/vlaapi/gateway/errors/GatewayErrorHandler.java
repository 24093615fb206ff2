package com.vlaapi.gateway.errors;

import com.vlaapi.gateway.requestid.RequestIdFilter;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.ErrorType;
import com.vlaapi.servicecontract.reactive.ReactiveErrorWriter;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Every error that escapes the gateway leaves in the fleet's error body, never as a stack trace:
 * unknown paths, no healthy inference instance, upstream timeouts.
 */
@Component
@Order(-2)
public class GatewayErrorHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayErrorHandler.class);

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        return ReactiveErrorWriter.write(exchange, toApiError(exchange, ex), RequestIdFilter.of(exchange));
    }

    private static ApiError toApiError(ServerWebExchange exchange, Throwable ex) {
        if (ex instanceof NotFoundException || hasCause(ex, ConnectException.class)) {
            log.warn("no inference instance reachable for {}: {}", exchange.getRequest().getPath(), ex.toString());
            return new ApiError(HttpStatus.SERVICE_UNAVAILABLE, "upstream_unavailable",
                    "No inference server is reachable right now; retry in a few seconds.");
        }
        if (hasCause(ex, TimeoutException.class)) {
            return new ApiError(HttpStatus.GATEWAY_TIMEOUT, ErrorType.API_ERROR, "upstream_timeout",
                    "The inference server did not answer in time; retry.");
        }
        if (ex instanceof ResponseStatusException status && status.getStatusCode().is4xxClientError()) {
            return ApiError.forStatus(status.getStatusCode(), exchange.getRequest().getMethod().name(),
                    exchange.getRequest().getPath().value());
        }
        log.error("unexpected gateway error on {}", exchange.getRequest().getPath(), ex);
        return ApiError.internal();
    }

    private static boolean hasCause(Throwable ex, Class<? extends Throwable> type) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
