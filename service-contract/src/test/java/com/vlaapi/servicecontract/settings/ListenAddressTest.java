package com.vlaapi.servicecontract.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.autoconfigure.servlet.ServletWebServerFactoryCustomizer;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;

class ListenAddressTest {

    private final TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();

    @Test
    void theServicesOwnSettingsApply() throws Exception {
        new ListenAddress(8082, InetAddress.getByName("127.0.0.1")).customize(factory);

        assertThat(factory.getPort()).isEqualTo(8082);
        assertThat(factory.getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void serverPortStillWinsWhenSet() throws Exception {
        ServerProperties server = new ServerProperties();
        server.setPort(0);
        ListenAddress ours = new ListenAddress(8082, InetAddress.getByName("127.0.0.1"));
        ServletWebServerFactoryCustomizer springs = new ServletWebServerFactoryCustomizer(server);

        assertThat(AnnotationAwareOrderComparator.INSTANCE.compare(ours, springs)).isNegative();
        ours.customize(factory);
        springs.customize(factory);
        assertThat(factory.getPort()).isZero();
        assertThat(factory.getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
    }
}
