package com.vlaapi.customer.web;

import com.vlaapi.apierrors.ApiExceptionHandler;
import com.vlaapi.apierrors.ErrorType;
import com.vlaapi.apierrors.RequestIdFilter;
import java.io.IOException;
import java.io.Writer;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;

/**
 * Tomcat answers some requests itself, before any filter or controller runs (a malformed URL
 * escape, an encoded NUL): this replaces its HTML error page with the JSON error shape.
 */
class JsonErrorReportValve extends ErrorReportValve {

    @Component
    static class Installer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addContextCustomizers(context -> {
                StandardHost host = (StandardHost) context.getParent();
                host.getPipeline().addValve(new JsonErrorReportValve());
                // Tomcat adds its default valve at start unless one of this class is already there.
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
            });
        }
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean();
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        HttpStatusCode statusCode = HttpStatusCode.valueOf(status);
        HttpStatus known = HttpStatus.resolve(status);
        String message = known != null ? known.getReasonPhrase() + "." : "Request rejected.";
        String requestId = UUID.randomUUID().toString();
        // Every value is a fixed identifier, a reason phrase or a UUID: nothing needs JSON escaping.
        String body = "{\"error\":{\"type\":\"" + ErrorType.forStatus(statusCode).id()
                + "\",\"code\":\"" + ApiExceptionHandler.codeFor(statusCode)
                + "\",\"message\":\"" + message
                + "\",\"request_id\":\"" + requestId + "\"}}";
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("utf-8");
            response.setHeader(RequestIdFilter.HEADER, requestId);
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response is committed: nothing left to tell it.
        }
    }
}
