package com.vlaapi.inference.requestlog;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code vla.inference.request-log.*}.
 *
 * @param enabled            false skips logging entirely (benchmarks only: billing reads this log)
 * @param journalDir         the folder of this instance's journal, where rows wait for the database;
 *                           one per instance, and it must outlive the process
 * @param journalSegmentSize size of one journal file; a file is deleted once all its rows are stored
 * @param journalMaxSize     most journal bytes waiting for the database; beyond it requests get a 503
 * @param batchSize          most rows per batch written to the database
 * @param flushInterval      longest a row waits for its batch to fill
 * @param maxRetryBackoff    longest pause between attempts while the database is unreachable
 * @param shutdownTimeout    how long stopping keeps retrying an unreachable database; rows left then
 *                           stay in the journal for the next start
 * @param partitionsAhead    months after the current one whose partitions of inference_logs exist
 *                           ahead of time (requestlog/partition), at least 1
 * @param retention          how long rows are kept: a month's partition is dropped once all of it
 *                           is older than this; absent keeps everything
 */
@ConfigurationProperties("vla.inference.request-log")
public record RequestLogProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("var/request-journal") Path journalDir,
        @DefaultValue("4MB") DataSize journalSegmentSize,
        @DefaultValue("1GB") DataSize journalMaxSize,
        @DefaultValue("1000") int batchSize,
        @DefaultValue("500ms") Duration flushInterval,
        @DefaultValue("5s") Duration maxRetryBackoff,
        @DefaultValue("30s") Duration shutdownTimeout,
        @DefaultValue("3") int partitionsAhead,
        Period retention) {

    public RequestLogProperties {
        if (partitionsAhead < 1) {
            throw new IllegalArgumentException("vla.inference.request-log.partitions-ahead must be at least 1 (next"
                    + " month's partition must exist before it starts), not " + partitionsAhead);
        }
        if (retention != null && (retention.isNegative() || retention.isZero())) {
            throw new IllegalArgumentException("vla.inference.request-log.retention must be positive (e.g. 13m) or"
                    + " absent to keep everything, not " + retention);
        }
    }
}
