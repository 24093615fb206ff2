package com.vlaapi.servicecontract.error;

/** A request the service refuses with the given error; every service's web layer answers it as-is. */
public class ApiException extends RuntimeException {

    private final ApiError error;

    public ApiException(ApiError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public ApiError error() {
        return error;
    }

    public static ApiException invalidRequest(String code, String message) {
        return new ApiException(ApiError.invalidRequest(code, message));
    }

    public static ApiException unauthenticated(String code, String message) {
        return new ApiException(ApiError.unauthenticated(code, message));
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(ApiError.notFound(code, message));
    }

    public static ApiException conflict(String code, String message) {
        return new ApiException(ApiError.conflict(code, message));
    }
}
