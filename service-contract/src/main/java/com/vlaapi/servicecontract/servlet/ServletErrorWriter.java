package com.vlaapi.servicecontract.servlet;

import com.vlaapi.servicecontract.ServiceHeaders;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.ErrorBody;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;

/**
 * Writes the error body straight to the servlet response: filters, exception handlers and the
 * /error page all use it, and it works whatever the client's Accept header says (no content
 * negotiation to fail a second time).
 */
public final class ServletErrorWriter {

    private static final Logger log = LoggerFactory.getLogger(ServletErrorWriter.class);

    private ServletErrorWriter() {
    }

    public static void write(HttpServletRequest request, HttpServletResponse response, ApiError error) throws IOException {
        request.setAttribute(ApiError.ATTRIBUTE, error);
        UUID requestId = RequestIdFilter.requestId(request);
        if (response.isCommitted()) {
            log.warn("cannot send error {} for request {}: the response is already committed", error.code(), requestId);
            return;
        }
        response.resetBuffer();
        response.setStatus(error.status().value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setHeader(ServiceHeaders.REQUEST_ID, requestId.toString());
        response.getOutputStream().write(ErrorBody.json(error, requestId));
    }
}
