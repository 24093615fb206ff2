package com.vlaapi.inference.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The operators' token for this service's {@code /admin/**} API (training-image erasure and
 * download). Optional here, unlike in customer- and billing-service: without it every admin call
 * is refused; {@code TrainingImages} refuses to start enabled without it.
 */
@ConfigurationProperties("vla")
public record AdminTokenProperties(String adminToken) {

    public boolean isConfigured() {
        return adminToken != null && !adminToken.isBlank();
    }

    @Override
    public String toString() {
        return "AdminTokenProperties[adminToken=<redacted>]";
    }
}
