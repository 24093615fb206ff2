package com.vlaapi.client;

/** 404 {@code not_found_error}: no such route; the base URL is probably wrong. */
public final class NotFoundException extends VlaException {

    NotFoundException(ErrorAnswer answer) {
        super(answer);
    }
}
