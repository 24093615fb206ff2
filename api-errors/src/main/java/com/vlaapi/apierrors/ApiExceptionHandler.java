package com.vlaapi.apierrors;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** Turns every exception raised while handling a request into the one JSON error shape. */
@RestControllerAdvice
public class ApiExceptionHandler {

    public static final String INTERNAL_ERROR_MESSAGE =
            "Something went wrong on our side. Retry; if it persists, report the request_id.";

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ErrorBody> apiException(ApiException e, HttpServletRequest request) {
        return ErrorBody.response(e.status(), e.code(), e.getMessage(), request);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ErrorBody> unreadableBody(HttpMessageNotReadableException e, HttpServletRequest request) {
        ApiException problem = describeUnreadableBody(e.getCause());
        return ErrorBody.response(problem.status(), problem.code(), problem.getMessage(), request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ErrorBody> malformedPathOrQuery(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        String expected = e.getRequiredType() != null ? e.getRequiredType().getSimpleName() : "value";
        return ErrorBody.response(HttpStatus.BAD_REQUEST, "invalid_" + e.getName(),
                e.getName() + " is not a valid " + expected + ".", request);
    }

    @ExceptionHandler({NoHandlerFoundException.class, NoResourceFoundException.class})
    ResponseEntity<ErrorBody> unknownRoute(HttpServletRequest request) {
        return ErrorBody.response(HttpStatus.NOT_FOUND, "route_not_found",
                "No route for " + request.getMethod() + " " + request.getRequestURI() + ".", request);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ErrorBody> wrongMethod(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        ResponseEntity<ErrorBody> response = ErrorBody.response(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                e.getMethod() + " is not allowed on " + request.getRequestURI() + ".", request);
        return ResponseEntity.status(response.getStatusCode())
                .headers(response.getHeaders())
                .headers(e.getHeaders())
                .body(response.getBody());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ErrorBody> wrongContentType(HttpServletRequest request) {
        return ErrorBody.response(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                "Send the request body as " + MediaType.APPLICATION_JSON_VALUE + ".", request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ErrorBody> anythingElse(Exception e, HttpServletRequest request) {
        if (e instanceof ErrorResponse springMvcError) {
            HttpStatusCode status = springMvcError.getStatusCode();
            String detail = Objects.requireNonNullElse(springMvcError.getBody().getDetail(), "Request rejected.");
            return ErrorBody.response(status, codeFor(status), detail, request);
        }
        log.error("Unhandled error on {} {} (request {})", request.getMethod(), request.getRequestURI(),
                RequestIdFilter.requestId(request), e);
        return ErrorBody.response(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", INTERNAL_ERROR_MESSAGE, request);
    }

    /** A code for statuses that have no more specific one: 413 -> "payload_too_large". */
    public static String codeFor(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known != null ? known.name().toLowerCase(Locale.ROOT) : "http_" + status.value();
    }

    private static ApiException describeUnreadableBody(Throwable cause) {
        if (cause instanceof StreamReadException && !(cause instanceof InputCoercionException)) {
            return ApiException.invalidRequest("malformed_json", "The request body is not valid JSON.");
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            // Rejected rather than ignored: a misspelt field must not silently fall back to a default.
            return ApiException.invalidRequest("unknown_field", unknown.getPropertyName() + " is not a known field.");
        }
        if (cause instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
            String field = jackson.getPath().stream()
                    .map(reference -> reference.getPropertyName() != null
                            ? reference.getPropertyName()
                            : "[" + reference.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return ApiException.invalidRequest("invalid_field_type", field + " has the wrong type.");
        }
        if (cause instanceof JacksonException) {
            return ApiException.invalidRequest("invalid_body", "The request body must be a JSON object.");
        }
        return ApiException.invalidRequest("missing_body", "This endpoint needs a JSON request body.");
    }
}
