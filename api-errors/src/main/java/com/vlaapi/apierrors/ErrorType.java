package com.vlaapi.apierrors;

import com.fasterxml.jackson.annotation.JsonValue;
import org.springframework.http.HttpStatusCode;

/** The `type` of an error body: the broad class of failure a client can branch on. */
public enum ErrorType {
    INVALID_REQUEST_ERROR,
    AUTHENTICATION_ERROR,
    PERMISSION_ERROR,
    NOT_FOUND_ERROR,
    CONFLICT_ERROR,
    API_ERROR;

    @JsonValue
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static ErrorType forStatus(HttpStatusCode status) {
        return switch (status.value()) {
            case 401 -> AUTHENTICATION_ERROR;
            case 403 -> PERMISSION_ERROR;
            case 404 -> NOT_FOUND_ERROR;
            case 409 -> CONFLICT_ERROR;
            default -> status.is4xxClientError() ? INVALID_REQUEST_ERROR : API_ERROR;
        };
    }
}
