package com.vlaapi.inference.api;

import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;

/**
 * When a client may retry an error answer of {@code POST /v1/inference} (its Retry-After header), the
 * same over HTTP and over the gateway's channel: a full queue soon, an answer the request log could not
 * record once the log is likely back.
 */
final class RetryAfter {

    private static final int OVERLOADED_SECONDS = 1;
    private static final int UNRECORDED_SECONDS = 5;

    private RetryAfter() {
    }

    /** @return seconds, or null when the answer says nothing about retrying */
    static Integer seconds(ApiError error) {
        if (PublicErrorCode.OVERLOADED.id().equals(error.code())) {
            return OVERLOADED_SECONDS;
        }
        if (PublicErrorCode.REQUEST_LOG_UNAVAILABLE.id().equals(error.code())) {
            return UNRECORDED_SECONDS;
        }
        return null;
    }

    static void set(HttpServletResponse response, ApiError error) {
        Integer seconds = seconds(error);
        if (seconds != null) {
            response.setHeader(HttpHeaders.RETRY_AFTER, seconds.toString());
        }
    }
}
