package com.vlaapi.apierrors;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Spring Boot's error page for failures that never reach a controller (a filter throwing,
 * the container rejecting a request), so those answers have the same JSON shape as the rest.
 */
@RestController
class JsonErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ErrorBody> error(HttpServletRequest request) {
        Object statusCode = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = statusCode instanceof Integer code ? HttpStatus.resolve(code) : null;
        if (status == null || status == HttpStatus.NOT_FOUND) {
            Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            return ErrorBody.response(HttpStatus.NOT_FOUND, "route_not_found",
                    "No route for " + (uri != null ? uri : request.getRequestURI()) + ".", request);
        }
        String message = status.is5xxServerError()
                ? ApiExceptionHandler.INTERNAL_ERROR_MESSAGE
                : status.getReasonPhrase() + ".";
        String code = status.is5xxServerError() ? "internal_error" : ApiExceptionHandler.codeFor(status);
        return ErrorBody.response(status, code, message, request);
    }
}
