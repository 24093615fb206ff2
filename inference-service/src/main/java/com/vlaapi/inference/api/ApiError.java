package com.vlaapi.inference.api;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;

/**
 * One error as the API reports it. {@code type} is the broad class a client branches on,
 * {@code code} the stable machine-readable reason (README lists them).
 */
public record ApiError(HttpStatusCode status, String type, String code, String message) {

    /** The error sent for a request, kept as a request attribute for the request log and metrics. */
    public static final String ATTRIBUTE = "vla.apiError";

    public static ApiError invalidRequest(String code, String message) {
        return new ApiError(HttpStatus.BAD_REQUEST, "invalid_request_error", code, message);
    }

    public static ApiError unauthorized(String code, String message) {
        return new ApiError(HttpStatus.UNAUTHORIZED, "authentication_error", code, message);
    }

    public static ApiError overloaded(String message) {
        return new ApiError(HttpStatus.SERVICE_UNAVAILABLE, "overloaded_error", "overloaded", message);
    }

    public static ApiError internal() {
        return new ApiError(HttpStatus.INTERNAL_SERVER_ERROR, "api_error", "internal_error",
                "The server failed to process the request. Retry; if it keeps failing, contact support"
                        + " with the request_id.");
    }

    /** For errors Spring or the servlet container detect (unknown route, wrong method, ...). */
    public static ApiError forStatus(HttpStatusCode status, String message) {
        if (status.is5xxServerError()) {
            return internal();
        }
        String code = switch (status.value()) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "request_too_large";
            case 415 -> "unsupported_media_type";
            default -> "invalid_request";
        };
        return new ApiError(status, "invalid_request_error", code, message);
    }
}
