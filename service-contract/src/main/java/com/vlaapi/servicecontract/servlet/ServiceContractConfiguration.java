package com.vlaapi.servicecontract.servlet;

import com.vlaapi.servicecontract.metrics.ServletErrorCodeConvention;
import com.vlaapi.servicecontract.settings.ListenAddress;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The contract of a servlet service: every failure, thrown, rejected by Spring or by Tomcat,
 * answers the one error body with an {@code X-Request-Id}; bodies are capped, stalled clients cut
 * off, and the service listens where its own record ({@link ServiceSettings}) says. A service imports this on its
 * application class.
 */
@Configuration(proxyBeanMethods = false)
@Import({RequestIdFilter.class, RequestBodyLimitFilter.class, ApiExceptionHandler.class, JsonErrorController.class,
        JsonErrorReportValve.Installer.class, ListenerTimeouts.class})
public class ServiceContractConfiguration {

    /** Counts errors by the code of the body answered ({@code error_code} on http_server_requests). */
    @Bean
    ServletErrorCodeConvention errorCodeObservationConvention() {
        return new ServletErrorCodeConvention();
    }

    @Bean
    ListenAddress listenAddress(ServiceSettings settings) {
        return new ListenAddress(settings.port(), settings.address());
    }
}
