package com.vlaapi.inference.requestlog;

import com.vlaapi.inference.requestlog.RequestJournal.Position;
import com.vlaapi.inference.requestlog.RequestJournal.Read;
import com.vlaapi.inference.worker.BackgroundWorker;
import com.vlaapi.inference.worker.Backoff;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The request log: {@link #record} journals a row on the request thread ({@link RequestJournal},
 * durable against a crash of this process), and one writer thread copies the journal into the
 * database in batches (up to {@code batch-size} rows, or whatever arrived within
 * {@code flush-interval} of the first). While the database is unreachable the writer retries with
 * backoff and requests are still answered; the journal holds their rows, up to
 * {@code journal-max-size}.
 *
 * <p>Lifecycle phase 0 stops this after the web server (its phases sit just below
 * {@link Integer#MAX_VALUE}), when no request can add rows any more, and before any bean is
 * destroyed, so the DataSource is still open while the journal drains.
 */
@Component
public class RequestLogWriter extends BackgroundWorker {

    private static final Logger log = LoggerFactory.getLogger(RequestLogWriter.class);
    /** How often an idle writer looks for new rows. */
    private static final long IDLE_POLL_MILLIS = 50;
    /** How often a batch being collected looks for new rows, and so how late it notices that it is full. */
    private static final long COLLECT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(100);
    private static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(10);

    /** How often the database hears how far the journal is stored (billing waits for it at month end). */
    private static final Duration REPORT_INTERVAL = Duration.ofSeconds(5);

    private final RequestLogStore store;
    private final RequestLogProperties properties;
    private final Clock clock;
    private final RequestJournal journal;
    private final Counter rowsWritten;
    private final Counter writeFailures;
    private final Counter journalFailures;
    private final AtomicLong nextFailureLogNanos = new AtomicLong(System.nanoTime());
    private volatile long giveUpAtNanos;

    RequestLogWriter(RequestLogStore store, RequestLogProperties properties, Clock clock, MeterRegistry registry) {
        super("request-log-writer", 0, properties.enabled(),
                "request log disabled (vla.inference.request-log.enabled=false): requests are not recorded for billing");
        this.store = store;
        this.properties = properties;
        this.clock = clock;
        this.journal = properties.enabled() ? open(properties) : null;
        if (journal != null) {
            // Before any request: the journal is open, and stored only as far as the database knew
            // (not at all, when a previous process left rows in it).
            Instant now = clock.instant();
            store.reportJournal(journal.id(), journal.bytes() > 0 ? Instant.EPOCH : now, false, now);
        }
        Gauge.builder("vla.request_log.queue_depth", this, writer -> writer.journal == null ? 0 : writer.journal.rowsWaiting())
                .description("Request-log rows journaled and not yet stored in the database")
                .register(registry);
        Gauge.builder("vla.request_log.journal_bytes", this, writer -> writer.journal == null ? 0 : writer.journal.bytes())
                .description("Bytes of journal files whose rows are not all stored in the database yet")
                .baseUnit("bytes")
                .register(registry);
        this.rowsWritten = Counter.builder("vla.request_log.rows_written")
                .description("Request-log rows stored in the database")
                .register(registry);
        this.writeFailures = Counter.builder("vla.request_log.write_failures")
                .description("Failed batch inserts (each is retried)")
                .register(registry);
        this.journalFailures = Counter.builder("vla.request_log.journal_failures")
                .description("Rows the journal could not take (full or unwritable); their requests got a 503")
                .register(registry);
    }

    private static RequestJournal open(RequestLogProperties properties) {
        try {
            return new RequestJournal(properties.journalDir(), properties.journalSegmentSize().toBytes(),
                    properties.journalMaxSize().toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the request journal in " + properties.journalDir().toAbsolutePath()
                    + " (vla.inference.request-log.journal-dir): " + e.getMessage(), e);
        }
    }

    /**
     * Journals a row. Once this returns the row will reach the database, even if this process
     * dies next; a request is answered only after it.
     *
     * @throws RequestLogUnavailableException when the journal is full or cannot be written
     */
    public void record(InferenceLogEntry entry) {
        if (journal == null) {
            return;
        }
        try {
            journal.append(entry);
        } catch (IOException e) {
            journalFailures.increment();
            long now = System.nanoTime();
            long next = nextFailureLogNanos.get();
            if (now - next >= 0 && nextFailureLogNanos.compareAndSet(next, now + FAILURE_LOG_INTERVAL.toNanos())) {
                log.error("request log: requests get 503 until the journal takes rows again"
                        + " (count in vla_request_log_journal_failures_total): {}", e.toString());
            }
            throw new RequestLogUnavailableException(e);
        }
    }

    /** Stores every journaled row (retrying for at most {@code shutdown-timeout}) before returning. */
    @Override
    public void stop() {
        giveUpAtNanos = System.nanoTime() + properties.shutdownTimeout().toNanos();
        super.stop();
    }

    @Override
    protected void work() {
        try {
            Position position = journal.start();
            long nextReportNanos = System.nanoTime();
            while (true) {
                // Asked before reading: a read that began after the stop request and found nothing is the end.
                boolean stopping = stopRequested();
                Collected batch = collect(position);
                if (!batch.read().rows().isEmpty()) {
                    if (!writeUntilStored(batch.read().rows())) {
                        return;
                    }
                    journal.stored(batch.read().next(), batch.read().rows().size());
                    position = batch.read().next();
                }
                boolean finished = batch.read().rows().isEmpty() && stopping;
                if (batch.drainedBefore() != null && (finished || System.nanoTime() - nextReportNanos >= 0)) {
                    report(batch.drainedBefore(), finished);
                    nextReportNanos = System.nanoTime() + REPORT_INTERVAL.toNanos();
                }
                if (finished) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // Nobody but the JVM interrupts this thread: the journal keeps what is not stored.
            log.warn("request log: interrupted; {} journal bytes are stored at the next start", journal.bytes());
        } finally {
            closeJournal();
        }
    }

    /**
     * A batch, and when its last read began if that read reached the journal's end: every row
     * appended before then is in this batch or an earlier one (null when the batch filled first).
     */
    private record Collected(Read read, Instant drainedBefore) {
    }

    /** The rows after {@code from}: waits for a first one, then gathers more until the batch is full or the flush interval ends. */
    private Collected collect(Position from) throws InterruptedException {
        Instant readAt = clock.instant();
        Read first = read(from, properties.batchSize());
        if (first.rows().isEmpty()) {
            if (!stopRequested()) {
                TimeUnit.MILLISECONDS.sleep(IDLE_POLL_MILLIS);
            }
            return new Collected(first, readAt);
        }
        List<InferenceLogEntry> rows = new ArrayList<>(first.rows());
        Position next = first.next();
        Instant drainedBefore = rows.size() < properties.batchSize() ? readAt : null;
        long flushAt = System.nanoTime() + properties.flushInterval().toNanos();
        while (rows.size() < properties.batchSize() && !stopRequested()) {
            long left = flushAt - System.nanoTime();
            if (left <= 0) {
                break;
            }
            // Sleeps rather than being woken: waking the writer for every row would cost a context
            // switch per request on the cores that serve the requests.
            TimeUnit.NANOSECONDS.sleep(Math.min(left, COLLECT_SLICE_NANOS));
            int wanted = properties.batchSize() - rows.size();
            readAt = clock.instant();
            Read more = read(next, wanted);
            rows.addAll(more.rows());
            next = more.next();
            drainedBefore = more.rows().size() < wanted ? readAt : null;
        }
        return new Collected(new Read(rows, next), drainedBefore);
    }

    /** Tells the database how far the journal is stored; a failure only delays that news. */
    private void report(Instant storedThrough, boolean closed) {
        try {
            store.reportJournal(journal.id(), storedThrough, closed, clock.instant());
        } catch (RuntimeException e) {
            log.debug("request log: could not report how far journal {} is stored: {}", journal.id(), e.toString());
        }
    }

    /** Reads the journal, retrying a failed read (a disk error) with backoff. */
    private Read read(Position from, int maxRows) throws InterruptedException {
        Backoff backoff = new Backoff(FIRST_RETRY_DELAY, properties.maxRetryBackoff());
        while (true) {
            try {
                return journal.read(from, maxRows);
            } catch (IOException e) {
                Duration delay = backoff.next();
                log.error("request log: reading the journal in {} failed, retrying in {} ms: {}", journal.folder(),
                        delay.toMillis(), e.toString());
                Thread.sleep(delay.toMillis());
            }
        }
    }

    /** True once stored; false when stopping gave up on an unreachable database. */
    private boolean writeUntilStored(List<InferenceLogEntry> batch) throws InterruptedException {
        Backoff backoff = new Backoff(FIRST_RETRY_DELAY, properties.maxRetryBackoff());
        while (true) {
            try {
                store.insert(batch);
                rowsWritten.increment(batch.size());
                return true;
            } catch (RuntimeException e) {
                writeFailures.increment();
                if (stopRequested() && System.nanoTime() - giveUpAtNanos >= 0) {
                    log.error("request log: database unreachable at shutdown; {} journal bytes in {} are stored"
                            + " when the service starts again: {}", journal.bytes(), journal.folder(), e.getMessage());
                    return false;
                }
                Duration delay = backoff.next();
                log.warn("request log: storing {} rows failed, retrying in {} ms ({} journal bytes waiting): {}",
                        batch.size(), delay.toMillis(), journal.bytes(), e.getMessage());
                Thread.sleep(delay.toMillis());
            }
        }
    }

    private void closeJournal() {
        try {
            journal.close();
        } catch (IOException e) {
            log.warn("request log: closing the journal in {} failed: {}", journal.folder(), e.toString());
        }
    }
}
