package com.vlaapi.servicecontract.servlet;

import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Every exception a handler raises ends here as the one error body: client mistakes as 4xx with a
 * code saying what to fix, everything unexpected as a generic 500 (details only in our log). A
 * service may add its own advice for its own exceptions, ordered before this one.
 */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    void refused(ApiException e, HttpServletRequest request, HttpServletResponse response) throws IOException {
        ServletErrorWriter.write(request, response, e.error());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    void unreadableBody(HttpMessageNotReadableException e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        ServletErrorWriter.write(request, response, RequestBodyErrors.describe(e));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    void malformedPathOrQuery(MethodArgumentTypeMismatchException e, HttpServletRequest request,
                              HttpServletResponse response) throws IOException {
        String expected = e.getRequiredType() != null ? e.getRequiredType().getSimpleName() : "value";
        ServletErrorWriter.write(request, response, new ApiError(HttpStatus.BAD_REQUEST, "invalid_" + e.getName(),
                e.getName() + " is not a valid " + expected + "."));
    }

    /** Spring's own rejections (unknown route, wrong method, wrong Content-Type, ...) and the rest. */
    @ExceptionHandler(Exception.class)
    void unexpected(Exception e, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (e instanceof ErrorResponse spring && spring.getStatusCode().is4xxClientError()) {
            spring.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
            ServletErrorWriter.write(request, response,
                    ApiError.forStatus(spring.getStatusCode(), request.getMethod(), request.getRequestURI()));
            return;
        }
        log.error("request {} failed on {} {}", RequestIdFilter.requestId(request), request.getMethod(),
                request.getRequestURI(), e);
        ServletErrorWriter.write(request, response, ApiError.internal());
    }
}
