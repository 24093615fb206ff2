package com.vlaapi.servicecontract.error;

import com.vlaapi.servicecontract.LowerCaseId;
import org.springframework.http.HttpStatusCode;

/** The {@code type} of an error body: the broad class of failure a client branches on. */
public enum ErrorType implements LowerCaseId {
    INVALID_REQUEST_ERROR,
    AUTHENTICATION_ERROR,
    PERMISSION_ERROR,
    NOT_FOUND_ERROR,
    CONFLICT_ERROR,
    RATE_LIMIT_EXCEEDED,
    QUOTA_EXCEEDED,
    OVERLOADED_ERROR,
    API_ERROR;

    /** The type a status implies; 429s say which limit they are, so they are never derived. */
    public static ErrorType forStatus(HttpStatusCode status) {
        return switch (status.value()) {
            case 401 -> AUTHENTICATION_ERROR;
            case 403 -> PERMISSION_ERROR;
            case 404 -> NOT_FOUND_ERROR;
            case 409 -> CONFLICT_ERROR;
            case 503 -> OVERLOADED_ERROR;
            default -> status.is4xxClientError() ? INVALID_REQUEST_ERROR : API_ERROR;
        };
    }
}
