package com.vlaapi.gateway.edge;

import com.vlaapi.gateway.GatewayProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;
import reactor.netty.http.server.HttpServer;

/**
 * The public listener's timeouts: a client that pauses longer than {@code read-timeout} while
 * sending a body, or takes longer than {@code request-read-timeout} to send it all (one byte a
 * second), is cut off with 408 and its connection closed; an idle kept-alive connection is closed
 * after {@code idle-timeout}. Without them a slow client holds a connection and its buffers for as
 * long as it likes.
 */
@Component
class ListenerTimeouts implements NettyServerCustomizer {

    private final GatewayProperties properties;

    ListenerTimeouts(GatewayProperties properties) {
        this.properties = properties;
    }

    @Override
    public HttpServer apply(HttpServer server) {
        return server.readTimeout(properties.readTimeout())
                .requestTimeout(properties.requestReadTimeout())
                .idleTimeout(properties.idleTimeout());
    }
}
