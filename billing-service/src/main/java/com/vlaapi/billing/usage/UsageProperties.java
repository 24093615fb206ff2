package com.vlaapi.billing.usage;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code vla.usage.*}. @param maxBatchSize most events one ingestion request may carry */
@ConfigurationProperties("vla.usage")
public record UsageProperties(int maxBatchSize) {
}
