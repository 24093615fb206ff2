package com.vlaapi.billing.usage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where inference-service's usage relay delivers billable requests (internal token). Answers only
 * after the batch is committed: the relay deletes events from its outbox on a 2xx, so a 2xx must
 * mean "stored". Redeliveries and any order are fine: each request id is stored once.
 */
@RestController
class UsageEventController {

    /** @param stored events new to billing; {@code received - stored} were already stored */
    record IngestResult(int received, int stored) {
    }

    private final UsageEventStore store;
    private final UsageProperties properties;
    private final Counter received;
    private final Counter stored;

    UsageEventController(UsageEventStore store, UsageProperties properties, MeterRegistry registry) {
        this.store = store;
        this.properties = properties;
        this.received = Counter.builder("vla.billing.usage_events_received")
                .description("Usage events delivered, redeliveries included").register(registry);
        this.stored = Counter.builder("vla.billing.usage_events_stored")
                .description("Usage events stored (each request id once)").register(registry);
    }

    @PostMapping("/internal/v1/usage-events")
    IngestResult ingest(@RequestBody UsageEventBatch batch) {
        var events = batch.validate(properties.maxBatchSize());
        int newlyStored = store.store(events);
        received.increment(events.size());
        stored.increment(newlyStored);
        return new IngestResult(events.size(), newlyStored);
    }
}
