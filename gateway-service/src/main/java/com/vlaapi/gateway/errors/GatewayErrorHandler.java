package com.vlaapi.gateway.errors;

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
 * Every error that escapes the gateway leaves in the API's error shape, never as a stack trace:
 * unknown paths, no healthy inference instance, upstream timeouts.
 */
@Component
@Order(-2)
public class GatewayErrorHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayErrorHandler.class);

    private final ErrorResponses responses;

    public GatewayErrorHandler(ErrorResponses responses) {
        this.responses = responses;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        return responses.write(exchange, toApiError(exchange, ex));
    }

    private static ApiError toApiError(ServerWebExchange exchange, Throwable ex) {
        if (ex instanceof NotFoundException || hasCause(ex, ConnectException.class)) {
            log.warn("no inference instance reachable for {}: {}", exchange.getRequest().getPath(), ex.toString());
            return new ApiError(HttpStatus.SERVICE_UNAVAILABLE, "overloaded_error", "upstream_unavailable",
                    "No inference server is reachable right now; retry in a few seconds.");
        }
        if (hasCause(ex, TimeoutException.class)) {
            return new ApiError(HttpStatus.GATEWAY_TIMEOUT, "api_error", "upstream_timeout",
                    "The inference server did not answer in time; retry.");
        }
        if (ex instanceof ResponseStatusException status) {
            HttpStatus code = HttpStatus.resolve(status.getStatusCode().value());
            if (code == HttpStatus.NOT_FOUND) {
                return new ApiError(code, "not_found_error", "route_not_found",
                        "No such endpoint: " + exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath()
                                + ". The API serves POST /v1/inference.");
            }
            if (code != null && code.is4xxClientError()) {
                return new ApiError(code, "invalid_request_error", code.name().toLowerCase(), code.getReasonPhrase());
            }
        }
        log.error("unexpected gateway error on {}", exchange.getRequest().getPath(), ex);
        return new ApiError(HttpStatus.INTERNAL_SERVER_ERROR, "api_error", "internal_error",
                "Something went wrong on our side; the request id identifies it in our logs.");
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
