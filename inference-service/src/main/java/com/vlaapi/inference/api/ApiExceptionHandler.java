package com.vlaapi.inference.api;

import com.vlaapi.modelrunner.ModelRunnerException;
import com.vlaapi.modelrunner.batching.OverloadedException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every exception a handler raises ends here as the one error shape: client mistakes as 4xx with a
 * code saying what to fix, everything unexpected as a generic 500 (details only in our log).
 */
@RestControllerAdvice
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private final ErrorResponseWriter errors;

    ApiExceptionHandler(ErrorResponseWriter errors) {
        this.errors = errors;
    }

    @ExceptionHandler(ApiException.class)
    void refused(ApiException e, HttpServletRequest request, HttpServletResponse response) throws IOException {
        errors.write(request, response, e.error());
    }

    @ExceptionHandler(ModelRunnerException.class)
    void modelRefused(ModelRunnerException e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (e instanceof OverloadedException) {
            response.setHeader(HttpHeaders.RETRY_AFTER, "1");
            errors.write(request, response, ApiError.overloaded(e.getMessage()));
        } else {
            errors.write(request, response, ApiError.invalidRequest(e.code(), e.getMessage()));
        }
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    void unreadableBody(HttpMessageNotReadableException e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        errors.write(request, response, RequestBodyErrors.describe(e));
    }

    /** Spring's own 4xx exceptions (unknown route, wrong method, wrong Content-Type, ...) and the rest. */
    @ExceptionHandler(Exception.class)
    void unexpected(Exception e, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (e instanceof ErrorResponse spring && spring.getStatusCode().is4xxClientError()) {
            spring.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
            errors.write(request, response, ApiError.forStatus(spring.getStatusCode(), clientMessage(spring, request)));
            return;
        }
        log.error("request {} failed", RequestContext.idOf(request), e);
        errors.write(request, response, ApiError.internal());
    }

    private static String clientMessage(ErrorResponse e, HttpServletRequest request) {
        return switch (e.getStatusCode().value()) {
            case 404 -> "No route " + request.getMethod() + " " + request.getRequestURI() + ".";
            case 405 -> request.getMethod() + " is not allowed here; allowed: "
                    + String.join(", ", e.getHeaders().getOrEmpty(HttpHeaders.ALLOW)) + ".";
            case 415 -> "Send the request body as JSON (Content-Type: application/json).";
            case 406 -> "Responses are JSON; accept application/json.";
            default -> "The request is invalid.";
        };
    }
}
