package com.vlaapi.gateway.errors;

import org.springframework.http.HttpStatus;

/** An error the gateway answers itself, in the API's one error shape. */
public record ApiError(HttpStatus status, String type, String code, String message) {

    public static ApiError authentication(String code, String message) {
        return new ApiError(HttpStatus.UNAUTHORIZED, "authentication_error", code, message);
    }
}
