package com.vlaapi.inference.api;

import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns a body Spring could not read into the error that tells the client what to fix. Messages
 * are our own: Jackson's name internal classes.
 */
final class RequestBodyErrors {

    private RequestBodyErrors() {
    }

    static ApiError describe(HttpMessageNotReadableException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestTooLargeException tooLarge) {
                return new ApiError(HttpStatus.CONTENT_TOO_LARGE, "invalid_request_error", "request_too_large",
                        tooLarge.getMessage());
            }
            if (cause instanceof UnrecognizedPropertyException unknown) {
                return ApiError.invalidRequest("unknown_field", "Unknown field '" + unknown.getPropertyName()
                        + "'. Known fields: " + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                        .collect(Collectors.joining(", ")) + ".");
            }
            if (cause instanceof MismatchedInputException mismatch) {
                return mismatch.getPath().isEmpty()
                        ? ApiError.invalidRequest("invalid_request_body", "The request body must be one JSON object.")
                        : ApiError.invalidRequest("invalid_field_type", "Field '"
                                + mismatch.getPath().get(0).getPropertyName() + "' " + expected(mismatch) + ".");
            }
            if (cause instanceof StreamReadException malformed) {
                return ApiError.invalidRequest("invalid_json", "The request body is not valid JSON" + at(malformed) + ".");
            }
        }
        return ApiError.invalidRequest("invalid_json", "The request body could not be read as JSON.");
    }

    private static String expected(MismatchedInputException mismatch) {
        Class<?> target = mismatch.getTargetType();
        return target == String.class ? "must be a string" : "has the wrong type";
    }

    private static String at(JacksonException e) {
        TokenStreamLocation location = e.getLocation();
        return location == null || location.getLineNr() < 0 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
