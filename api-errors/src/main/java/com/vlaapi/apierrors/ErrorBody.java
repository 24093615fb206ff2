package com.vlaapi.apierrors;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** The only error shape the servlet services send: {"error": {type, code, message, request_id}}. */
public record ErrorBody(Detail error) {

    public record Detail(ErrorType type, String code, String message, String requestId) {
    }

    public static ResponseEntity<ErrorBody> response(HttpStatusCode status, String code, String message,
                                                     HttpServletRequest request) {
        Detail detail = new Detail(ErrorType.forStatus(status), code, message, RequestIdFilter.requestId(request));
        // Preset content type: the error stays JSON whatever the client's Accept header asked for.
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(new ErrorBody(detail));
    }
}
