package com.vlaapi.servicecontract.servlet;

import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import com.vlaapi.servicecontract.error.RequestTooLargeException;
import java.util.stream.Collectors;
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
public final class RequestBodyErrors {

    private RequestBodyErrors() {
    }

    static ApiError describe(HttpMessageNotReadableException e) {
        return describeCauses(e.getCause());
    }

    /** The same error for a body read without Spring's converters (inference-service's channel). */
    public static ApiError describe(JacksonException e) {
        return describeCauses(e);
    }

    private static ApiError describeCauses(Throwable first) {
        // First: Jackson wraps the stream's exception in its own, which would otherwise match below.
        for (Throwable cause = first; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestTooLargeException tooLarge) {
                return tooLarge.error();
            }
        }
        for (Throwable cause = first; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnrecognizedPropertyException unknown) {
                // Rejected rather than ignored: a misspelt field must not silently fall back to a default.
                return PublicErrorCode.UNKNOWN_FIELD.error("Unknown field '"
                        + unknown.getPropertyName() + "'. Known fields: " + unknown.getKnownPropertyIds().stream()
                        .map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ".");
            }
            if (cause instanceof MismatchedInputException mismatch) {
                return mismatch.getPath().isEmpty()
                        ? PublicErrorCode.INVALID_REQUEST_BODY.error("The request body must be one JSON object.")
                        : PublicErrorCode.INVALID_FIELD_TYPE.error("Field '" + path(mismatch) + "' "
                                + (mismatch.getTargetType() == String.class ? "must be a string" : "has the wrong type")
                                + ".");
            }
            if (cause instanceof InputCoercionException || (cause instanceof JacksonException jackson
                    && !(cause instanceof StreamReadException) && !jackson.getPath().isEmpty())) {
                // A number out of range, or a value Jackson could not convert: the JSON itself is fine.
                return PublicErrorCode.INVALID_FIELD_TYPE.error(
                        "Field '" + path((JacksonException) cause) + "' has the wrong type.");
            }
            if (cause instanceof StreamReadException malformed) {
                return PublicErrorCode.INVALID_JSON.error("The request body is not valid JSON" + at(malformed) + ".");
            }
        }
        return PublicErrorCode.INVALID_REQUEST_BODY.error("This endpoint needs one JSON object as the request body.");
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
