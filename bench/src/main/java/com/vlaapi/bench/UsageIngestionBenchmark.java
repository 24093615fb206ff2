package com.vlaapi.bench;

import com.vlaapi.bench.fleet.LocalFleet;
import com.vlaapi.servicecontract.ServiceHeaders;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bin/vla bench usage [SECONDS] [OUTBOX_EVENTS]}: how many usage events per second
 * billing-service stores, exactly once, on this machine. Starts its own fleet (own database, like
 * the end-to-end test) and measures two paths:
 * <ol>
 *   <li>ingestion: concurrent senders POST batches of 1,000 new events to
 *       {@code /internal/v1/usage-events} for SECONDS (default 20); one batch in ten is a
 *       redelivery of an earlier one, which must store nothing;</li>
 *   <li>the whole pipeline: OUTBOX_EVENTS (default 200,000) billable requests are put in
 *       inference-service's outbox at once (a backlog, as after a billing outage) and the real
 *       relays (a second inference-service instance's, and the fleet's own) drain them into
 *       billing; timed until billing holds all of them.</li>
 * </ol>
 * Both end by checking that billing stored each event exactly once.
 */
public final class UsageIngestionBenchmark {

    private static final int BATCH = 1_000;
    private static final int SENDERS = 4;

    private UsageIngestionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int outboxEvents = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        Path root = Path.of("").toAbsolutePath();
        System.out.printf("Usage ingestion benchmark: %d cores, batches of %,d events%n",
                Runtime.getRuntime().availableProcessors(), BATCH);
        try (LocalFleet fleet = new LocalFleet(root)) {
            System.out.println("starting the fleet...");
            fleet.start();
            URI billing = fleet.url("billing-service", "");
            ingestion(fleet, billing, seconds);
            // A second inference-service, told where this fleet's billing-service listens: two
            // relays share the outbox, as two API servers would. (LocalFleet's own instance relays
            // too when it passes VLA_BILLING_URL; the per-relay counts below show who did.)
            URI extra = fleet.startExtra("inference-relay", "inference-service",
                    Map.of("VLA_BILLING_URL", billing.toString()));
            pipeline(fleet, outboxEvents, List.of(fleet.url("inference-service", ""), extra));
        }
    }

    private static void ingestion(LocalFleet fleet, URI billing, int seconds) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI endpoint = billing.resolve("/internal/v1/usage-events");
        // Warm-up: JIT and connection pool, not measured.
        post(http, endpoint, fleet.secret("inference-token"), batch(BATCH, fleet.clock.instant()));
        long before = count(fleet, "SELECT count(*) FROM billing.usage_events");

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong sent = new AtomicLong();
        AtomicLong redelivered = new AtomicLong();
        AtomicLong storedReported = new AtomicLong();
        ConcurrentLinkedQueue<String> recent = new ConcurrentLinkedQueue<>();
        List<Thread> senders = new ArrayList<>();
        long start = System.nanoTime();
        for (int s = 0; s < SENDERS; s++) {
            Thread sender = new Thread(() -> {
                int n = 0;
                while (!stop.get()) {
                    try {
                        String body;
                        String old = ++n % 10 == 0 ? recent.poll() : null;
                        if (old != null) {
                            body = old;
                            redelivered.addAndGet(BATCH);
                        } else {
                            body = batch(BATCH, fleet.clock.instant());
                            sent.addAndGet(BATCH);
                            recent.add(body);
                        }
                        storedReported.addAndGet(post(http, endpoint, fleet.secret("inference-token"), body));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            sender.start();
            senders.add(sender);
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread sender : senders) {
            sender.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long stored = count(fleet, "SELECT count(*) FROM billing.usage_events") - before;
        System.out.printf("%nbilling-service ingestion, %d senders, %d s%n", SENDERS, seconds);
        System.out.printf("  new events sent        %,12d%n", sent.get());
        System.out.printf("  redelivered events     %,12d  (one batch in ten sent again)%n", redelivered.get());
        System.out.printf("  events stored          %,12d  %s%n", stored,
                stored == sent.get() && storedReported.get() == sent.get() ? "(each exactly once)" : "MISMATCH");
        System.out.printf("  stored per second      %,12.0f%n", stored / elapsed);
        System.out.printf("  delivered per second   %,12.0f  (new + redelivered)%n",
                (sent.get() + redelivered.get()) / elapsed);
        if (stored != sent.get()) {
            throw new IllegalStateException("stored " + stored + " of " + sent.get() + " events");
        }
    }

    private static void pipeline(LocalFleet fleet, int events, List<URI> relays) throws Exception {
        List<Double> relayedBefore = new ArrayList<>();
        for (URI relay : relays) {
            relayedBefore.add(relayed(relay));
        }
        long before = count(fleet, "SELECT count(*) FROM billing.usage_events");
        try (Connection db = fleet.connect()) {
            db.setAutoCommit(false);
            try (PreparedStatement fill = db.prepareStatement("""
                    INSERT INTO inference.usage_outbox (request_id, customer_id, served_at, model)
                    SELECT gen_random_uuid(), ('00000000-0000-4000-8000-' || lpad(to_hex(g % 50), 12, '0'))::uuid,
                           CAST(? AS timestamptz) - (g || ' milliseconds')::interval, 'tabletop-v1'
                    FROM generate_series(1, ?) g""")) {
                fill.setObject(1, java.time.OffsetDateTime.ofInstant(fleet.clock.instant(), java.time.ZoneOffset.UTC));
                fill.setInt(2, events);
                fill.executeUpdate();
            }
            // The clock starts when the backlog becomes visible to the relay.
            db.commit();
        }
        long start = System.nanoTime();
        long deadline = start + Duration.ofMinutes(10).toNanos();
        long stored = 0;
        while (System.nanoTime() < deadline) {
            stored = count(fleet, "SELECT count(*) FROM billing.usage_events") - before;
            if (stored >= events) {
                break;
            }
            Thread.sleep(50);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Thread.sleep(1_000);
        long finalStored = count(fleet, "SELECT count(*) FROM billing.usage_events") - before;
        long left = count(fleet, "SELECT count(*) FROM inference.usage_outbox");
        System.out.printf("%nwhole pipeline: %,d-event backlog in inference.usage_outbox, drained by the relay%n", events);
        System.out.printf("  events stored          %,12d  %s%n", finalStored,
                finalStored == events ? "(each exactly once)" : "MISMATCH");
        System.out.printf("  left in the outbox     %,12d%n", left);
        System.out.printf("  drained in             %12.1f s%n", elapsed);
        System.out.printf("  stored per second      %,12.0f%n", stored / elapsed);
        for (int i = 0; i < relays.size(); i++) {
            System.out.printf("  relayed by instance %d  %,12.0f%n", i + 1, relayed(relays.get(i)) - relayedBefore.get(i));
        }
        if (finalStored != events) {
            throw new IllegalStateException("stored " + finalStored + " of " + events + " events");
        }
    }

    /** {@code vla_usage_relay_events_relayed_total} of one inference-service instance. */
    private static double relayed(URI instance) throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(instance.resolve("/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        return metrics.body().lines().filter(l -> l.startsWith("vla_usage_relay_events_relayed_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static String batch(int n, Instant servedAt) {
        StringJoiner body = new StringJoiner(",", "{\"events\":[", "]}");
        UUID customer = UUID.nameUUIDFromBytes(("bench-" + (servedAt.toEpochMilli() % 50)).getBytes());
        for (int i = 0; i < n; i++) {
            body.add("{\"request_id\":\"" + UUID.randomUUID() + "\",\"customer_id\":\"" + customer
                    + "\",\"served_at\":\"" + servedAt + "\",\"model\":\"tabletop-v1\"}");
        }
        return body.toString();
    }

    /** Returns how many events billing said were new. */
    private static long post(HttpClient http, URI endpoint, String token, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json")
                .header(ServiceHeaders.INTERNAL_TOKEN, token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("billing answered " + response.statusCode() + ": " + response.body());
        }
        String stored = response.body().replaceAll(".*\"stored\":(\\d+).*", "$1");
        return Long.parseLong(stored);
    }

    private static long count(LocalFleet fleet, String sql) throws Exception {
        try (Connection db = fleet.connect(); Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
