package com.vlaapi.client;

/** 503 {@code overloaded_error}: the fleet cannot serve now (no inference instance reachable, overload); retried after {@code Retry-After}. */
public final class OverloadedException extends VlaException {

    OverloadedException(ErrorAnswer answer) {
        super(answer);
    }
}
