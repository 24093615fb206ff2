package com.vlaapi.inference.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Replaces Spring Boot's error page for errors raised outside Spring MVC (in a filter, or by the
 * servlet container), so they too get the API's error shape instead of Boot's default body.
 */
@Controller
class JsonErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(JsonErrorController.class);

    private final ErrorResponseWriter errors;

    JsonErrorController(ErrorResponseWriter errors) {
        this.errors = errors;
    }

    @RequestMapping("${server.error.path:/error}")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatusCode status = HttpStatusCode.valueOf(code instanceof Integer c ? c : 500);
        Object exception = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (exception instanceof Throwable t) {
            log.error("request {} failed", RequestContext.idOf(request), t);
        }
        errors.write(request, response, ApiError.forStatus(status, "The request could not be processed ("
                + status.value() + ")."));
    }
}
