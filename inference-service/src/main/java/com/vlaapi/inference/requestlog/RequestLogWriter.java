package com.vlaapi.inference.requestlog;

import com.vlaapi.inference.worker.BackgroundWorker;
import com.vlaapi.inference.worker.Backoff;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes the request log off the response path. Request threads put rows on a bounded queue; one
 * writer thread inserts them in batches (up to {@code batch-size} rows, or whatever arrived within
 * {@code flush-interval} of the first). Rows are never dropped to save time: while the database is
 * unreachable the writer retries with backoff, and once the queue is full requests wait for room.
 *
 * <p>Lifecycle phase 0 stops this after the web server (its phases sit just below
 * {@link Integer#MAX_VALUE}), when no request can add rows any more, and before any bean is
 * destroyed, so the DataSource is still open while the queue drains.
 */
@Component
public class RequestLogWriter extends BackgroundWorker {

    private static final Logger log = LoggerFactory.getLogger(RequestLogWriter.class);
    /** How often an idle writer checks whether it should stop. */
    private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How often a batch being collected looks for new rows, and so how late it notices that it is full. */
    private static final long COLLECT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(100);

    private final RequestLogStore store;
    private final RequestLogProperties properties;
    private final BlockingQueue<InferenceLogEntry> queue;
    private final Counter rowsWritten;
    private final Counter writeFailures;
    private volatile long giveUpAtNanos;

    RequestLogWriter(RequestLogStore store, RequestLogProperties properties, MeterRegistry registry) {
        super("request-log-writer", 0, properties.enabled(),
                "request log disabled (vla.inference.request-log.enabled=false): requests are not recorded for billing");
        this.store = store;
        this.properties = properties;
        this.queue = new ArrayBlockingQueue<>(properties.queueCapacity());
        Gauge.builder("vla.request_log.queue_depth", queue, BlockingQueue::size)
                .description("Request-log rows waiting for the database")
                .register(registry);
        this.rowsWritten = Counter.builder("vla.request_log.rows_written")
                .description("Request-log rows stored in the database")
                .register(registry);
        this.writeFailures = Counter.builder("vla.request_log.write_failures")
                .description("Failed batch inserts (each is retried)")
                .register(registry);
    }

    /** Queues a row. Blocks while the queue is full: backpressure instead of a lost billing record. */
    public void record(InferenceLogEntry entry) {
        if (!properties.enabled()) {
            return;
        }
        try {
            queue.put(entry);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.error("request log: interrupted while waiting for queue space; row {} (customer {}) was not recorded",
                    entry.requestId(), entry.customerId());
        }
    }

    /** Writes every queued row (retrying for at most {@code shutdown-timeout}) before returning. */
    @Override
    public void stop() {
        giveUpAtNanos = System.nanoTime() + properties.shutdownTimeout().toNanos();
        super.stop();
    }

    @Override
    protected void work() {
        List<InferenceLogEntry> batch = new ArrayList<>(properties.batchSize());
        while (!stopRequested() || !queue.isEmpty()) {
            try {
                collect(batch);
            } catch (InterruptedException e) {
                // Nobody but the JVM interrupts this thread: treat it as a shutdown with no time left.
                giveUpNow();
            }
            if (!batch.isEmpty()) {
                writeUntilStored(batch);
                batch.clear();
            }
        }
    }

    /** Waits for a first row, then gathers more until the batch is full or the flush interval ends. */
    private void collect(List<InferenceLogEntry> batch) throws InterruptedException {
        InferenceLogEntry first = queue.poll(IDLE_POLL_NANOS, TimeUnit.NANOSECONDS);
        if (first == null) {
            return;
        }
        batch.add(first);
        long flushAt = System.nanoTime() + properties.flushInterval().toNanos();
        while (true) {
            queue.drainTo(batch, properties.batchSize() - batch.size());
            long left = flushAt - System.nanoTime();
            if (batch.size() >= properties.batchSize() || left <= 0 || stopRequested()) {
                return;
            }
            // Sleeps rather than waiting on the queue: a writer waiting there is woken by every
            // row, a context switch per request on the cores that serve the requests.
            TimeUnit.NANOSECONDS.sleep(Math.min(left, COLLECT_SLICE_NANOS));
        }
    }

    private void writeUntilStored(List<InferenceLogEntry> batch) {
        Backoff backoff = new Backoff(FIRST_RETRY_DELAY, properties.maxRetryBackoff());
        while (true) {
            try {
                store.insert(batch);
                rowsWritten.increment(batch.size());
                return;
            } catch (RuntimeException e) {
                writeFailures.increment();
                if (stopRequested() && System.nanoTime() - giveUpAtNanos >= 0) {
                    abandon(batch, e);
                    return;
                }
                Duration delay = backoff.next();
                log.warn("request log: storing {} rows failed, retrying in {} ms ({} more queued): {}",
                        batch.size(), delay.toMillis(), queue.size(), e.getMessage());
                pause(delay);
            }
        }
    }

    /**
     * Only at shutdown, after {@code shutdown-timeout} of failures: names every lost request so
     * billing can be reconciled from the service log.
     */
    private void abandon(List<InferenceLogEntry> batch, RuntimeException cause) {
        List<InferenceLogEntry> lost = new ArrayList<>(batch);
        queue.drainTo(lost);
        log.error("request log: database unreachable at shutdown; {} rows NOT stored: {}", lost.size(),
                cause.getMessage());
        for (InferenceLogEntry row : lost) {
            log.error("request log: lost row request_id={} customer_id={} api_key_id={} timestamp={} status={}"
                            + " error_code={}", row.requestId(), row.customerId(), row.apiKeyId(), row.timestamp(),
                    row.statusCode(), row.errorCode());
        }
    }

    private void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            giveUpNow();
        }
    }

    private void giveUpNow() {
        giveUpAtNanos = System.nanoTime();
        requestStop();
    }
}
