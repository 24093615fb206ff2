package com.vlaapi.inference.requestlog;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code vla.inference.request-log.*}.
 *
 * @param enabled         false skips logging entirely (benchmarks only: billing reads this log)
 * @param queueCapacity   rows waiting for the database; when full, requests wait for room
 * @param batchSize       most rows per INSERT batch
 * @param flushInterval   longest a row waits for its batch to fill
 * @param maxRetryBackoff longest pause between attempts while the database is unreachable
 * @param shutdownTimeout how long shutdown keeps retrying an unreachable database before giving up
 */
@ConfigurationProperties("vla.inference.request-log")
public record RequestLogProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("10000") int queueCapacity,
        @DefaultValue("1000") int batchSize,
        @DefaultValue("500ms") Duration flushInterval,
        @DefaultValue("5s") Duration maxRetryBackoff,
        @DefaultValue("30s") Duration shutdownTimeout) {
}
