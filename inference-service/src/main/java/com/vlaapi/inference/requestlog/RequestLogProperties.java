package com.vlaapi.inference.requestlog;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code vla.request-log.*}.
 *
 * @param enabled         false skips logging entirely (benchmarks only: billing reads this log)
 * @param queueCapacity   rows waiting for the database; when full, requests wait for room
 * @param batchSize       most rows per INSERT batch
 * @param flushInterval   longest a row waits for its batch to fill
 * @param maxRetryBackoff longest pause between attempts while the database is unreachable
 * @param shutdownTimeout how long shutdown keeps retrying an unreachable database before giving up
 */
@ConfigurationProperties("vla.request-log")
public record RequestLogProperties(
        boolean enabled,
        int queueCapacity,
        int batchSize,
        Duration flushInterval,
        Duration maxRetryBackoff,
        Duration shutdownTimeout) {
}
