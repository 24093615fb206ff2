package com.vlaapi.billing.metrics;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code vla.billing.metrics.*}.
 *
 * @param refreshInterval how often the business gauges (revenue, customers, requests by tier;
 *                        pipeline lag) are re-read from the database
 */
@ConfigurationProperties("vla.billing.metrics")
public record BusinessMetricsProperties(@DefaultValue("30s") Duration refreshInterval) {
}
