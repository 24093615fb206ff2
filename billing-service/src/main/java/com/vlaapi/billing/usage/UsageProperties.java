package com.vlaapi.billing.usage;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code vla.billing.usage.*}. @param maxBatchSize most events one ingestion request may carry */
@ConfigurationProperties("vla.billing.usage")
public record UsageProperties(@DefaultValue("10000") int maxBatchSize) {
}
