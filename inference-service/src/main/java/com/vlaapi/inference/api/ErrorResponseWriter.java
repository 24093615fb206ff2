package com.vlaapi.inference.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the one error shape, {@code {"error": {"type", "code", "message", "request_id"}}}, straight
 * to the servlet response: filters, exception handlers and the /error page all use it, and it
 * works whatever the client's Accept header says (no content negotiation to fail a second time).
 */
@Component
public class ErrorResponseWriter {

    private static final Logger log = LoggerFactory.getLogger(ErrorResponseWriter.class);

    /** The JSON body. */
    public record ErrorResponse(Detail error) {

        public record Detail(String type, String code, String message, UUID requestId) {
        }
    }

    private final JsonMapper json;

    ErrorResponseWriter(JsonMapper json) {
        this.json = json;
    }

    public void write(HttpServletRequest request, HttpServletResponse response, ApiError error) throws IOException {
        request.setAttribute(ApiError.ATTRIBUTE, error);
        UUID requestId = RequestContext.idOf(request);
        if (response.isCommitted()) {
            log.warn("cannot send error {} for request {}: the response is already committed", error.code(), requestId);
            return;
        }
        response.resetBuffer();
        response.setStatus(error.status().value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), new ErrorResponse(
                new ErrorResponse.Detail(error.type(), error.code(), error.message(), requestId)));
    }
}
