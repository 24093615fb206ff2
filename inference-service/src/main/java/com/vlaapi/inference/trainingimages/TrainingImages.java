package com.vlaapi.inference.trainingimages;

import com.vlaapi.inference.api.RequestContext;
import com.vlaapi.inference.security.AdminTokenProperties;
import com.vlaapi.inference.security.Caller;
import com.vlaapi.inference.worker.BackgroundWorker;
import com.vlaapi.servicecontract.Secrets;
import com.vlaapi.servicecontract.error.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Keeps the request images of customers who consented, for training, off the response's path:
 * the request thread only checks an in-memory set of consenting customers and queues the bytes
 * (bounded by {@code queue-max-size}); one thread uploads them to
 * {@code {customer_id}/{yyyy-MM-dd}/{request_id}.{png|jpg}} and links each from
 * {@code inference.training_images}. Best effort: an image that finds the queue full, the storage
 * down or failing, or no consent covering its request by upload time (withdrawn meanwhile) is dropped and counted
 * ({@code vla_training_images_dropped_total{reason}}); the request is answered as usual.
 *
 * <p>The same thread re-reads the consenting customers every {@code consent-refresh-interval}
 * and runs the retention sweep every {@code sweep-interval}.
 */
@Component
public class TrainingImages extends BackgroundWorker {

    private static final Logger log = LoggerFactory.getLogger(TrainingImages.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final int SWEEP_BATCH = 1000;

    enum DropReason {
        QUEUE_FULL("queue_full"),
        STORAGE_ERROR("storage_error"),
        DATABASE_ERROR("database_error"),
        NO_CONSENT("no_consent"),
        SHUTDOWN("shutdown");

        final String tag;

        DropReason(String tag) {
            this.tag = tag;
        }
    }

    private record Pending(UUID requestId, UUID customerId, Instant arrivedAt, byte[] image) {
    }

    private final TrainingImagesProperties properties;
    private final TrainingImageStorage storage;
    private final TrainingImageLinks links;
    private final ConsentDirectory consents;
    private final Clock clock;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Counter stored;
    private final Map<DropReason, Counter> dropped;
    private volatile Set<UUID> consenting = Set.of();
    private long nextConsentRefreshNanos;
    private long nextSweepNanos;

    TrainingImages(TrainingImagesProperties properties, TrainingImageStorage storage, TrainingImageLinks links,
                   ConsentDirectory consents, Clock clock, MeterRegistry registry, AdminTokenProperties admin) {
        super("training-images", -20, properties.enabled(), "training images disabled"
                + " (vla.inference.training-images.enabled=false): no request image is stored");
        if (properties.enabled()) {
            // Stored images must be erasable on request: without the admin token, nobody could.
            Secrets.requireConfigured(admin.adminToken(), "vla.admin-token", "VLA_ADMIN_TOKEN");
        }
        this.properties = properties;
        this.storage = storage;
        this.links = links;
        this.consents = consents;
        this.clock = clock;
        this.stored = Counter.builder("vla.training_images.stored")
                .description("Request images stored for training (customers who consented)")
                .register(registry);
        this.dropped = new EnumMap<>(DropReason.class);
        for (DropReason reason : DropReason.values()) {
            dropped.put(reason, Counter.builder("vla.training_images.dropped").tag("reason", reason.tag)
                    .description("Request images of consenting customers that were not stored")
                    .register(registry));
        }
        Gauge.builder("vla.training_images.queue_bytes", queuedBytes, AtomicLong::get)
                .description("Image bytes waiting for upload").register(registry);
    }

    /**
     * Called once a successful request is recorded: queues its image if its customer consented.
     * Never blocks and never throws for storage reasons.
     */
    public void offer(Caller caller, RequestContext context, byte[] image) {
        if (!isRunning() || !consents(caller.customerId())) {
            return;
        }
        long max = properties.queueMaxSize().toBytes();
        if (queuedBytes.addAndGet(image.length) > max) {
            queuedBytes.addAndGet(-image.length);
            dropped.get(DropReason.QUEUE_FULL).increment();
            return;
        }
        queue.add(new Pending(context.requestId(), caller.customerId(), context.receivedAt(), image));
    }

    /** As this instance last read it; the upload checks again. */
    boolean consents(UUID customerId) {
        return consenting.contains(customerId);
    }

    /** Where a request's image is (or would be) stored. */
    static String objectKey(UUID customerId, Instant arrivedAt, UUID requestId, byte[] image) {
        return customerId + "/" + DAY.format(arrivedAt) + "/" + requestId + "." + ImageType.of(image).extension();
    }

    /** For the endpoints that serve stored images: an instance without storage cannot. */
    public void requireEnabled() {
        if (!isRunning()) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "training_images_disabled",
                    "This instance has no training-image storage (vla.inference.training-images.enabled=false).");
        }
    }

    /** The customer's stored image of that request; empty when none is stored for that customer. */
    public Optional<StoredImage> download(UUID customerId, UUID requestId) {
        return links.objectKey(customerId, requestId)
                .flatMap(key -> storage.get(key).map(bytes -> new StoredImage(bytes, ImageType.of(bytes).contentType())));
    }

    public record StoredImage(byte[] bytes, String contentType) {
    }

    /**
     * Right to erasure: every object under the customer's folder (linked or not: an upload whose link
     * failed leaves one) and every link. Images still queued are dropped first; withdraw the consent
     * before erasing, or new requests bring new images.
     */
    int erase(UUID customerId) {
        queue.removeIf(pending -> {
            if (pending.customerId().equals(customerId)) {
                queuedBytes.addAndGet(-pending.image().length);
                return true;
            }
            return false;
        });
        int deleted = storage.deleteAll(customerId + "/");
        links.deleteAll(customerId);
        log.info("training images: erased {} images of customer {}", deleted, customerId);
        return deleted;
    }

    /** Deletes the images stored longer ago than the retention, objects first; returns how many. */
    int sweep() {
        Instant cutoff = clock.instant().minus(properties.retention());
        int total = 0;
        List<String> keys;
        do {
            keys = links.storedBefore(cutoff, SWEEP_BATCH);
            storage.delete(keys);
            links.delete(keys);
            total += keys.size();
        } while (keys.size() == SWEEP_BATCH && !stopRequested());
        if (total > 0) {
            log.info("training images: retention sweep deleted {} images stored before {}", total, cutoff);
        }
        return total;
    }

    @Override
    protected void awaitEnd(Thread worker) throws InterruptedException {
        worker.interrupt();
        worker.join(properties.requestTimeout().plusSeconds(5).toMillis());
        Pending left;
        while ((left = queue.poll()) != null) {
            queuedBytes.addAndGet(-left.image().length);
            dropped.get(DropReason.SHUTDOWN).increment();
        }
    }

    @Override
    protected void work() {
        while (!stopRequested()) {
            runWhenDue();
            Pending next;
            try {
                next = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                continue;  // stop() interrupts; the loop condition ends the thread
            }
            if (next != null) {
                queuedBytes.addAndGet(-next.image().length);
                DropReason reason = store(next);
                if (reason != null) {
                    dropped.get(reason).increment();
                }
            }
        }
    }

    private void runWhenDue() {
        long now = System.nanoTime();
        if (now - nextConsentRefreshNanos >= 0) {
            nextConsentRefreshNanos = now + properties.consentRefreshInterval().toNanos();
            try {
                consenting = Set.copyOf(consents.consenting());
            } catch (RuntimeException e) {
                log.warn("training images: could not read the consenting customers (customer.customers_v1),"
                        + " keeping the last known {}: {}", consenting.size(), e.getMessage());
            }
        }
        if (now - nextSweepNanos >= 0) {
            nextSweepNanos = now + properties.sweepInterval().toNanos();
            try {
                sweep();
            } catch (RuntimeException e) {
                log.warn("training images: retention sweep failed, next try in {}: {}",
                        properties.sweepInterval(), e.getMessage());
            }
        }
    }

    /** Stores one image; returns why it was dropped, or null when it was stored. */
    private DropReason store(Pending image) {
        try {
            if (!consents.covers(image.customerId(), image.arrivedAt())) {
                return DropReason.NO_CONSENT;
            }
        } catch (RuntimeException e) {
            log.warn("training images: could not re-check consent, image of request {} dropped: {}",
                    image.requestId(), e.getMessage());
            return DropReason.DATABASE_ERROR;
        }
        String key = objectKey(image.customerId(), image.arrivedAt(), image.requestId(), image.image());
        try {
            storage.put(key, image.image(), ImageType.of(image.image()).contentType());
        } catch (RuntimeException e) {
            log.warn("training images: upload failed, image of request {} dropped: {}", image.requestId(), e.getMessage());
            return DropReason.STORAGE_ERROR;
        }
        try {
            links.link(image.requestId(), image.customerId(), key, clock.instant());
        } catch (RuntimeException e) {
            log.warn("training images: could not link request {}'s image, deleting it: {}", image.requestId(), e.getMessage());
            try {
                storage.delete(List.of(key));
            } catch (RuntimeException ignored) {
                // The object stays under the customer's folder, where erasure still finds it.
            }
            return DropReason.DATABASE_ERROR;
        }
        stored.increment();
        return null;
    }
}
