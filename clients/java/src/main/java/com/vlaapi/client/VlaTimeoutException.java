package com.vlaapi.client;

import java.time.Duration;

/**
 * No answer within the client's timeout. Not retried: the robot's deadline has passed, and an
 * action that comes later is one for a scene that has moved on. The request may still be served
 * (and billed): to fetch its answer, call again with the same {@link ActOptions#idempotencyKey}.
 */
public final class VlaTimeoutException extends VlaException {

    VlaTimeoutException(Duration timeout, Throwable cause) {
        super(0, null, null, "no answer within the client's timeout of " + timeout.toMillis() + " ms", null, null,
                RateLimitInfo.NONE, cause);
    }
}
