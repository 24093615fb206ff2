package com.vlaapi.client;

/** 409 {@code conflict_error}: a request with the same {@code Idempotency-Key} is still being served; retried after {@code Retry-After}, it gets that request's answer. */
public final class ConflictException extends VlaException {

    ConflictException(ErrorAnswer answer) {
        super(answer);
    }
}
