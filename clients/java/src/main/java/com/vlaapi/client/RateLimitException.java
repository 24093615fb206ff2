package com.vlaapi.client;

/** 429 {@code rate_limit_exceeded}: over the burst limit (requests per minute); retried after {@code Retry-After}. */
public final class RateLimitException extends VlaException {

    RateLimitException(ErrorAnswer answer) {
        super(answer);
    }
}
