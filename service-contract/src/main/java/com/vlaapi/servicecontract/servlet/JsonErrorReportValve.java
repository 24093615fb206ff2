package com.vlaapi.servicecontract.servlet;

import com.vlaapi.servicecontract.RequestIds;
import com.vlaapi.servicecontract.ServiceHeaders;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.ErrorBody;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.http.HttpStatusCode;

/**
 * Tomcat answers some requests itself, before any filter or controller runs (a malformed URL
 * escape, an encoded NUL): this replaces its HTML error page with the JSON error body.
 */
class JsonErrorReportValve extends ErrorReportValve {

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
        UUID requestId = RequestIds.mint();
        ApiError error = ApiError.forStatus(HttpStatusCode.valueOf(status), request.getMethod(), request.getRequestURI());
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("utf-8");
            response.setHeader(ServiceHeaders.REQUEST_ID, requestId.toString());
            var writer = response.getReporter();
            if (writer != null) {
                writer.write(new String(ErrorBody.json(error, requestId), StandardCharsets.UTF_8));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response is committed: nothing left to tell it.
        }
    }
}
