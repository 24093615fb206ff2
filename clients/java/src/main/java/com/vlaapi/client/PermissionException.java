package com.vlaapi.client;

/** 403 {@code permission_error}: the key is valid but its customer may not call (suspended). */
public final class PermissionException extends VlaException {

    PermissionException(ErrorAnswer answer) {
        super(answer);
    }
}
