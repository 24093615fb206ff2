package com.vlaapi.inference.api;

import java.io.IOException;

/**
 * Thrown while the body is read, so it surfaces inside Spring's body conversion and is answered
 * (and logged) like every other bad request. An {@link IOException} because that is what a
 * stream may throw.
 */
class RequestTooLargeException extends IOException {

    RequestTooLargeException(long limit) {
        super("The request body is larger than " + limit + " bytes.");
    }
}
