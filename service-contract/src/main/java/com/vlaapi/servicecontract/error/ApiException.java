package com.vlaapi.servicecontract.error;

import org.springframework.http.HttpStatusCode;

/** A request the service refuses with the given error; every service's web layer answers it as-is. */
public class ApiException extends RuntimeException {

    private final ApiError error;

    public ApiException(ApiError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    /** Refuses with an error whose type follows from its status. */
    public ApiException(HttpStatusCode status, String code, String message) {
        this(new ApiError(status, code, message));
    }

    public ApiError error() {
        return error;
    }
}
