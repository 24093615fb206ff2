package com.vlaapi.client;

/** 500 or 502 {@code api_error}: the fleet failed (502: the inference instance was lost mid-request); retried with backoff. */
public final class ApiErrorException extends VlaException {

    ApiErrorException(ErrorAnswer answer) {
        super(answer);
    }
}
