package com.vlaapi.inference.requestlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.vlaapi.testsupport.clock.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** The writer's promises, against a store whose outages the test controls. */
class RequestLogWriterTest {

    /** Stores rows while up; throws like an unreachable database while down. */
    private static final class FlakyStore implements RequestLogStore {

        final AtomicBoolean up = new AtomicBoolean(true);
        final List<UUID> stored = new CopyOnWriteArrayList<>();
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        final List<JournalReport> reports = new CopyOnWriteArrayList<>();

        @Override
        public void insert(List<InferenceLogEntry> rows) {
            if (!up.get()) {
                throw new IllegalStateException("connection refused");
            }
            rows.forEach(row -> stored.add(row.requestId()));
            batchSizes.add(rows.size());
        }

        @Override
        public void reportJournal(UUID journal, Instant storedThrough, boolean closed, Instant now) {
            if (!up.get()) {
                throw new IllegalStateException("connection refused");
            }
            reports.add(new JournalReport(journal, storedThrough, closed, stored.size()));
        }
    }

    /** A report, and how many rows were stored when it was made. */
    private record JournalReport(UUID journal, Instant storedThrough, boolean closed, int rowsStored) {
    }

    private static final Instant SERVED_AT = Instant.parse("2026-06-15T12:00:00Z");

    private final FlakyStore store = new FlakyStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-30T23:59:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    @TempDir
    Path journal;
    private RequestLogWriter writer;

    @AfterEach
    void stop() {
        store.up.set(true);
        writer.stop();
    }

    @Test
    void rowsWaitOutADatabaseOutageAndNoneIsLost() {
        writer = start(properties(DataSize.ofMegabytes(10), 500, Duration.ofMillis(20), Duration.ofSeconds(5)));
        store.up.set(false);
        List<UUID> sent = record(20);
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.counter("vla.request_log.write_failures").count() >= 2);
        assertThat(store.stored).isEmpty();

        store.up.set(true);

        await().atMost(Duration.ofSeconds(5)).until(() -> store.stored.size() == sent.size());
        assertEquals(sent, store.stored);
        assertEquals(sent.size(), registry.counter("vla.request_log.rows_written").count());
    }

    @Test
    void aFullJournalRefusesNewRowsUntilTheDatabaseTakesTheOldOnes() {
        writer = start(properties(DataSize.ofKilobytes(4), 500, Duration.ofMillis(1), Duration.ofSeconds(5)));
        store.up.set(false);
        List<UUID> journaled = new ArrayList<>();
        assertThatThrownBy(() -> {
            while (true) {
                journaled.addAll(record(1));
            }
        }).isInstanceOf(RequestLogUnavailableException.class);
        assertEquals(1.0, registry.counter("vla.request_log.journal_failures").count());

        store.up.set(true);

        await().atMost(Duration.ofSeconds(10)).until(() -> store.stored.size() == journaled.size());
        assertEquals(journaled, store.stored);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(record(1)).hasSize(1));
    }

    @Test
    void rowsLeftByAStopWithTheDatabaseDownAreStoredByTheNextStart() {
        RequestLogProperties properties = properties(DataSize.ofMegabytes(10), 500, Duration.ofMillis(20),
                Duration.ofMillis(300));
        writer = start(properties);
        store.up.set(false);
        List<UUID> sent = record(5);
        writer.stop();
        assertThat(store.stored).isEmpty();

        store.up.set(true);
        writer = start(properties);

        await().atMost(Duration.ofSeconds(10)).until(() -> store.stored.size() == sent.size());
        assertEquals(sent, store.stored);
    }

    @Test
    void rowsAreBatchedByTheFlushInterval() {
        writer = start(properties(DataSize.ofMegabytes(10), 500, Duration.ofMillis(200), Duration.ofSeconds(5)));
        record(50);
        await().atMost(Duration.ofSeconds(5)).until(() -> store.stored.size() == 50);
        assertEquals(List.of(50), store.batchSizes);
    }

    @Test
    void stoppingStoresEveryQueuedRowFirst() {
        writer = start(properties(DataSize.ofMegabytes(10), 500, Duration.ofHours(1), Duration.ofSeconds(5)));
        List<UUID> sent = record(30);

        writer.stop();

        assertEquals(sent, store.stored);
        assertFalse(writer.isRunning());
    }

    @Test
    void stoppingGivesUpOnAnUnreachableDatabaseAfterTheShutdownTimeout() {
        writer = start(properties(DataSize.ofMegabytes(10), 500, Duration.ofHours(1), Duration.ofMillis(300)));
        store.up.set(false);
        record(5);

        // It gives up after the 300 ms shutdown timeout instead of retrying the unreachable database forever.
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(writer::stop);

        await().atMost(Duration.ofSeconds(30)).until(stopping::isDone);
        assertThat(store.stored).isEmpty();
    }

    /**
     * Billing finalizes a month only once every journal is stored past its end: the database hears
     * that a journal opened, how far it is stored as it goes, and that it closed empty.
     */
    @Test
    void theDatabaseHearsHowFarTheJournalIsStored() {
        Instant opened = clock.instant();
        writer = start(properties(DataSize.ofMegabytes(10), 500, Duration.ofMillis(20), Duration.ofSeconds(5)));
        assertEquals(new JournalReport(store.reports.get(0).journal(), opened, false, 0), store.reports.get(0),
                "a new journal holds nothing: stored through its opening");

        clock.advance(Duration.ofMinutes(2));
        List<UUID> sent = record(30);
        clock.advance(Duration.ofMinutes(2));
        Instant afterRows = clock.instant();
        await().atMost(Duration.ofSeconds(5)).until(() -> store.stored.size() == sent.size());
        writer.stop();

        JournalReport last = store.reports.get(store.reports.size() - 1);
        assertThat(last.closed()).isTrue();
        assertThat(last.storedThrough()).isAfterOrEqualTo(afterRows);
        assertEquals(sent.size(), last.rowsStored());
        assertThat(store.reports).allSatisfy(report -> assertThat(report.journal()).isEqualTo(last.journal()));
        assertThat(store.reports).filteredOn(report -> !report.storedThrough().isBefore(afterRows))
                .allSatisfy(report -> assertThat(report.rowsStored()).isEqualTo(sent.size()));
    }

    @Test
    void aJournalLeftWithRowsReopensAsNotStoredAtAll() {
        writer = start(properties(DataSize.ofMegabytes(10), 500, Duration.ofMillis(20), Duration.ofMillis(300)));
        UUID journalId = store.reports.get(0).journal();
        store.up.set(false);
        record(5);
        writer.stop();
        store.up.set(true);
        store.reports.clear();

        writer = start(properties(DataSize.ofMegabytes(10), 500, Duration.ofMillis(20), Duration.ofSeconds(5)));

        assertEquals(new JournalReport(journalId, Instant.EPOCH, false, 0), store.reports.get(0),
                "the same journal, whose rows the database has not seen");
        await().atMost(Duration.ofSeconds(5)).until(() -> store.stored.size() == 5);
    }

    @Test
    void disabledLogRecordsNothing() {
        writer = start(new RequestLogProperties(false, journal, DataSize.ofMegabytes(1), DataSize.ofMegabytes(10), 500,
                Duration.ofMillis(20), Duration.ofSeconds(1), Duration.ofSeconds(1), 1, null));
        record(3);
        assertFalse(writer.isRunning());
        assertEquals(0.0, registry.get("vla.request_log.queue_depth").gauge().value());
    }

    private RequestLogWriter start(RequestLogProperties properties) {
        RequestLogWriter started = new RequestLogWriter(store, properties, clock, registry);
        started.start();
        return started;
    }

    private RequestLogProperties properties(DataSize journalMaxSize, int batchSize, Duration flushInterval,
                                            Duration shutdownTimeout) {
        return new RequestLogProperties(true, journal, DataSize.ofKilobytes(1), journalMaxSize, batchSize, flushInterval,
                Duration.ofMillis(200), shutdownTimeout, 1, null);
    }

    private List<UUID> record(int rows) {
        return IntStream.range(0, rows).mapToObj(i -> {
            UUID id = UUID.randomUUID();
            writer.record(new InferenceLogEntry(id, UUID.randomUUID(), null, SERVED_AT, "tabletop-v1", "1.0.0",
                    null, "go", null, null, 1.0, 400, "invalid_json", null, null, null, null, null, null, null, null, null));
            return id;
        }).toList();
    }
}
