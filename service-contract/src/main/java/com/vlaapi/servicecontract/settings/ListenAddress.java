package com.vlaapi.servicecontract.settings;

import java.net.InetAddress;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Where a service listens, from its own record ({@code vla.<service>.port} and {@code .address}).
 * It is applied before Spring Boot's own customizer, so {@code server.port}, when set, still wins:
 * tests ask for a random port that way.
 */
public record ListenAddress(int port, InetAddress address)
        implements WebServerFactoryCustomizer<ConfigurableWebServerFactory>, Ordered {

    @Override
    public void customize(ConfigurableWebServerFactory factory) {
        factory.setPort(port);
        factory.setAddress(address);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
