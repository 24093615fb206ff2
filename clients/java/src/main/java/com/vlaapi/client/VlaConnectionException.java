package com.vlaapi.client;

/**
 * The connection failed (refused, reset, closed before the answer): no answer came. Retried with
 * backoff under the call's one {@code Idempotency-Key}, so a request that reached the API is
 * served and billed once however often it is sent.
 */
public final class VlaConnectionException extends VlaException {

    VlaConnectionException(Throwable cause) {
        super(0, null, null, "connection failed: " + cause, null, null, RateLimitInfo.NONE, cause);
    }
}
