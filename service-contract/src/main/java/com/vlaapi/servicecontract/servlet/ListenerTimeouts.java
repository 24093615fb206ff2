package com.vlaapi.servicecontract.servlet;

import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Tomcat's read and keep-alive timeouts from the service's record: a client that stops sending in
 * the middle of a request gives its thread back after {@link ServiceSettings#readTimeout()}, an idle
 * kept-alive connection is closed after {@link ServiceSettings#idleTimeout()}; and how much of a
 * refused body Tomcat reads before closing, from {@link ServiceSettings#maxBodyBytes()}.
 */
class ListenerTimeouts implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private final ServiceSettings settings;

    ListenerTimeouts(ServiceSettings settings) {
        this.settings = settings;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addConnectorCustomizers(connector -> {
            if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
                http.setConnectionTimeout((int) settings.readTimeout().toMillis());
                http.setKeepAliveTimeout((int) settings.idleTimeout().toMillis());
                // A refused body (over the cap, or an early error) is read and dropped up to twice
                // the cap before the connection closes: closed with those bytes unread, the socket
                // resets and the client can lose the 413 (ErrorContractIT saw that in CI with
                // Tomcat's 2 MB default). Anything larger is cut off unread.
                http.setMaxSwallowSize((int) Math.min(Integer.MAX_VALUE, 2 * settings.maxBodyBytes().toBytes()));
            }
        });
    }
}
