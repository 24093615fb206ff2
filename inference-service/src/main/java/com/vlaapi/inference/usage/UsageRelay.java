package com.vlaapi.inference.usage;

import com.vlaapi.inference.worker.BackgroundWorker;
import com.vlaapi.inference.worker.Backoff;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves billable requests from the usage outbox to billing-service, at least once: one thread
 * claims a batch (locked, so instances never share one), pushes it, and deletes it in the same
 * transaction only after billing answered 2xx. If the push fails the transaction rolls back and
 * the rows stay, to be retried with backoff; if the delete is lost after billing committed, the
 * batch is pushed again and billing, keyed on request id, stores nothing twice. The outbox is
 * durable, so a restart simply resumes.
 *
 * <p>Phase -10: stops after the request-log writer (phase 0) has drained, so a clean shutdown
 * usually pushes the last requests too; whatever is left waits in the outbox for the next start.
 */
@Component
public class UsageRelay extends BackgroundWorker {

    private static final Logger log = LoggerFactory.getLogger(UsageRelay.class);
    private static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(200);

    private final UsageOutbox outbox;
    private final BillingClient billing;
    private final UsageRelayProperties properties;
    private final TransactionTemplate transaction;
    private final Counter eventsRelayed;
    private final Counter failures;
    private final AtomicReference<UsageOutbox.Backlog> backlog =
            new AtomicReference<>(new UsageOutbox.Backlog(0, 0));
    private long nextMetricsRefreshNanos;

    UsageRelay(UsageOutbox outbox, BillingClient billing, UsageRelayProperties properties,
               PlatformTransactionManager transactions, MeterRegistry registry) {
        super("usage-relay", -10, properties.enabled(), "usage relay disabled (vla.inference.usage-relay.enabled=false):"
                + " billable requests wait in inference.usage_outbox until a relay runs");
        this.outbox = outbox;
        this.billing = billing;
        this.properties = properties;
        this.transaction = new TransactionTemplate(transactions);
        this.eventsRelayed = Counter.builder("vla.usage_relay.events_relayed")
                .description("Usage events billing-service confirmed (a redelivery counts again)")
                .register(registry);
        this.failures = Counter.builder("vla.usage_relay.failures")
                .description("Pushes to billing-service that failed and will be retried")
                .register(registry);
        Gauge.builder("vla.usage_outbox.backlog", backlog, b -> b.get().events())
                .description("Billable requests waiting in the outbox for billing-service")
                .register(registry);
        Gauge.builder("vla.usage_outbox.lag_seconds", backlog, b -> b.get().oldestAgeSeconds())
                .description("How long ago the oldest waiting billable request was served (0 when none wait)")
                .register(registry);
    }

    /** Lets the push in progress finish (or time out) and returns; unsent events stay in the outbox. */
    @Override
    protected void awaitEnd(Thread relay) throws InterruptedException {
        relay.interrupt();  // wakes it from a pause at once
        relay.join(properties.requestTimeout().plusSeconds(5).toMillis());
    }

    @Override
    protected void work() {
        Backoff backoff = new Backoff(FIRST_RETRY_DELAY, properties.maxRetryBackoff());
        while (!stopRequested()) {
            refreshMetricsWhenDue();
            try {
                int relayed = relayOneBatch();
                backoff.reset();
                if (relayed < properties.batchSize()) {
                    sleep(properties.pollInterval());
                }
            } catch (RuntimeException e) {
                if (stopRequested()) {
                    return;
                }
                failures.increment();
                Duration delay = backoff.next();
                log.warn("usage relay: push to billing-service failed, retrying in {} ms ({} events waiting): {}",
                        delay.toMillis(), backlog.get().events(), e.getMessage());
                sleep(delay);
            }
        }
    }

    /** One claim-push-delete round in one transaction; returns how many events billing confirmed. */
    int relayOneBatch() {
        Integer relayed = transaction.execute(status -> {
            List<UsageEvent> batch = outbox.claim(properties.batchSize());
            if (batch.isEmpty()) {
                return 0;
            }
            try {
                billing.deliver(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while pushing usage events", e);
            }
            outbox.delete(batch);
            return batch.size();
        });
        int count = relayed == null ? 0 : relayed;
        eventsRelayed.increment(count);
        return count;
    }

    private void refreshMetricsWhenDue() {
        long now = System.nanoTime();
        if (now - nextMetricsRefreshNanos < 0) {
            return;
        }
        nextMetricsRefreshNanos = now + properties.metricsInterval().toNanos();
        try {
            backlog.set(outbox.backlog());
        } catch (RuntimeException e) {
            log.debug("usage relay: could not read the outbox backlog: {}", e.getMessage());
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
