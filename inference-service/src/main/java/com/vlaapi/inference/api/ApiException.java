package com.vlaapi.inference.api;

/** Thrown by the API layer for a request it refuses; {@link ApiExceptionHandler} sends the error. */
class ApiException extends RuntimeException {

    private final ApiError error;

    ApiException(ApiError error) {
        super(error.message());
        this.error = error;
    }

    ApiError error() {
        return error;
    }
}
