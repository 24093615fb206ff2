package com.vlaapi.servicecontract.servlet;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The contract of a servlet service: every failure, thrown, rejected by Spring or by Tomcat,
 * answers the one error body with an {@code X-Request-Id}; bodies are capped at
 * {@code vla.max-body-bytes}. A service imports this on its application class.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BodyLimitProperties.class)
@Import({RequestIdFilter.class, RequestBodyLimitFilter.class, ApiExceptionHandler.class, JsonErrorController.class,
        JsonErrorReportValve.Installer.class})
public class ServiceContractConfiguration {
}
