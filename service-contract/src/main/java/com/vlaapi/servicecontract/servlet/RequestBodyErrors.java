package com.vlaapi.servicecontract.servlet;

import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.RequestTooLargeException;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns a body the web stack could not read into the error that tells the client what to fix.
 * Messages are our own: Jackson's name internal classes.
 */
final class RequestBodyErrors {

    static final String INVALID_JSON = "invalid_json";
    static final String INVALID_REQUEST_BODY = "invalid_request_body";
    static final String UNKNOWN_FIELD = "unknown_field";
    static final String INVALID_FIELD_TYPE = "invalid_field_type";

    private RequestBodyErrors() {
    }

    static ApiError describe(HttpMessageNotReadableException e) {
        // First: Jackson wraps the stream's exception in its own, which would otherwise match below.
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestTooLargeException tooLarge) {
                return tooLarge.error();
            }
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof UnrecognizedPropertyException unknown) {
                // Rejected rather than ignored: a misspelt field must not silently fall back to a default.
                return new ApiError(HttpStatus.BAD_REQUEST, UNKNOWN_FIELD, "Unknown field '"
                        + unknown.getPropertyName() + "'. Known fields: " + unknown.getKnownPropertyIds().stream()
                        .map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ".");
            }
            if (cause instanceof MismatchedInputException mismatch) {
                return mismatch.getPath().isEmpty()
                        ? new ApiError(HttpStatus.BAD_REQUEST, INVALID_REQUEST_BODY,
                                "The request body must be one JSON object.")
                        : new ApiError(HttpStatus.BAD_REQUEST, INVALID_FIELD_TYPE, "Field '" + path(mismatch) + "' "
                                + (mismatch.getTargetType() == String.class ? "must be a string" : "has the wrong type")
                                + ".");
            }
            if (cause instanceof InputCoercionException || (cause instanceof JacksonException jackson
                    && !(cause instanceof StreamReadException) && !jackson.getPath().isEmpty())) {
                // A number out of range, or a value Jackson could not convert: the JSON itself is fine.
                return new ApiError(HttpStatus.BAD_REQUEST, INVALID_FIELD_TYPE,
                        "Field '" + path((JacksonException) cause) + "' has the wrong type.");
            }
            if (cause instanceof StreamReadException malformed) {
                return new ApiError(HttpStatus.BAD_REQUEST, INVALID_JSON,
                        "The request body is not valid JSON" + at(malformed) + ".");
            }
        }
        return new ApiError(HttpStatus.BAD_REQUEST, INVALID_REQUEST_BODY,
                "This endpoint needs one JSON object as the request body.");
    }

    private static String path(JacksonException e) {
        return e.getPath().stream()
                .map(reference -> reference.getPropertyName() != null
                        ? reference.getPropertyName()
                        : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String at(JacksonException e) {
        TokenStreamLocation location = e.getLocation();
        return location == null || location.getLineNr() < 0 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
