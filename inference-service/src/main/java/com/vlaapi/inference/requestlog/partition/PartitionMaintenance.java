package com.vlaapi.inference.requestlog.partition;

import com.vlaapi.inference.worker.BackgroundWorker;
import com.vlaapi.inference.worker.Backoff;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs {@link RequestLogPartitions#maintain} at start and then once a day, so next month's
 * partition exists weeks before its first request (partitions-ahead is at least 1) and retention
 * acts within a day of a month expiring. A failed run (database unreachable, a lock timed out) is
 * retried with backoff; until it succeeds, rows of a month without a partition wait in the
 * default partition, so no request is refused for it.
 */
@Component
class PartitionMaintenance extends BackgroundWorker {

    private static final Logger log = LoggerFactory.getLogger(PartitionMaintenance.class);
    private static final Duration INTERVAL = Duration.ofDays(1);
    private static final Duration FIRST_RETRY_DELAY = Duration.ofSeconds(5);
    private static final Duration MAX_RETRY_DELAY = Duration.ofHours(1);

    private final RequestLogPartitions partitions;
    private final Clock clock;

    PartitionMaintenance(RequestLogPartitions partitions, Clock clock) {
        super("request-log-partitions", -20, true, "");
        this.partitions = partitions;
        this.clock = clock;
    }

    @Override
    protected void awaitEnd(Thread worker) throws InterruptedException {
        worker.interrupt();  // wakes it from its daily pause at once
        worker.join(Duration.ofSeconds(10).toMillis());
    }

    @Override
    protected void work() {
        Backoff backoff = new Backoff(FIRST_RETRY_DELAY, MAX_RETRY_DELAY);
        while (!stopRequested()) {
            try {
                partitions.maintain(clock.instant());
                backoff.reset();
                sleep(INTERVAL);
            } catch (RuntimeException e) {
                if (stopRequested()) {
                    return;
                }
                Duration delay = backoff.next();
                log.warn("request log: partition maintenance failed, retrying in {} s (rows of a month without a"
                        + " partition wait in inference_logs_default meanwhile): {}", delay.toSeconds(), e.getMessage());
                sleep(delay);
            }
        }
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            // stop() interrupts; the loop condition ends the thread.
        }
    }
}
