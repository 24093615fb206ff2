package com.vlaapi.servicecontract.servlet;

import com.vlaapi.servicecontract.error.ApiError;
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
 * Replaces Spring Boot's error page for failures raised outside Spring MVC (a filter throwing, the
 * container rejecting a request), so those answers have the same body as the rest.
 */
@Controller
public class JsonErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(JsonErrorController.class);

    @RequestMapping("${server.error.path:/error}")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // A direct request for /error is a request for a route that does not exist.
        HttpStatusCode status = HttpStatusCode.valueOf(code instanceof Integer c ? c : 404);
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable t) {
            log.error("request {} failed", RequestIdFilter.requestId(request), t);
        }
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        ServletErrorWriter.write(request, response,
                ApiError.forStatus(status, request.getMethod(), uri != null ? uri.toString() : request.getRequestURI()));
    }
}
