package com.vlaapi.billing.metrics;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code vla.metrics.*}. @param refreshInterval how often the business gauges are re-read from the database */
@ConfigurationProperties("vla.metrics")
public record BusinessMetricsProperties(Duration refreshInterval) {
}
