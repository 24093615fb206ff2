package com.vlaapi.client;

/** 400, 408, 413, 415 or 422 {@code invalid_request_error}: the request itself is wrong (see {@link #code()}); fix it rather than retry (a 408, a body that arrived too slowly, is retried). */
public final class InvalidRequestException extends VlaException {

    InvalidRequestException(ErrorAnswer answer) {
        super(answer);
    }
}
