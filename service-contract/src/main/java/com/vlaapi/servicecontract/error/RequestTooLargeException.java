package com.vlaapi.servicecontract.error;

import java.io.IOException;

/**
 * Thrown while a body is read past the limit, so it surfaces inside the web stack's body
 * conversion and is answered (and, in inference-service, logged) like every other bad request.
 * An {@link IOException} because that is what a stream may throw.
 */
public class RequestTooLargeException extends IOException {

    private final long maxBytes;

    public RequestTooLargeException(long maxBytes) {
        super("The request body is larger than " + maxBytes + " bytes.");
        this.maxBytes = maxBytes;
    }

    public ApiError error() {
        return ApiError.requestTooLarge(maxBytes);
    }
}
