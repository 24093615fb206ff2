package com.vlaapi.client;

/** 401 {@code authentication_error}: the API key is missing, malformed, unknown, revoked or expired. */
public final class AuthenticationException extends VlaException {

    AuthenticationException(ErrorAnswer answer) {
        super(answer);
    }
}
