package com.vlaapi.apierrors;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The error contract of the servlet services (customer-service, billing-service): every failure,
 * thrown or rejected by the container, answers {@code {"error": {type, code, message, request_id}}}
 * with an {@code X-Request-Id} header. A service imports this on its application class.
 */
@Configuration(proxyBeanMethods = false)
@Import({RequestIdFilter.class, ApiExceptionHandler.class, JsonErrorController.class})
public class ApiErrorsConfiguration {
}
