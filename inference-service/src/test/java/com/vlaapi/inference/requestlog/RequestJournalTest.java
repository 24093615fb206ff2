package com.vlaapi.inference.requestlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.vlaapi.inference.requestlog.RequestJournal.Position;
import com.vlaapi.inference.requestlog.RequestJournal.Read;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestJournalTest {

    private static final long MB = 1 << 20;

    @TempDir
    Path folder;
    private RequestJournal journal;

    @AfterEach
    void close() throws IOException {
        if (journal != null) {
            journal.close();
        }
    }

    @Test
    void rowsComeBackExactlyAsAppended() throws IOException {
        journal = new RequestJournal(folder, MB, 100 * MB);
        float[] embedding = new float[StorableValues.EMBEDDING_DIMENSIONS];
        embedding[3] = 0.25f;
        InferenceLogEntry answered = new InferenceLogEntry(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                Instant.parse("2026-12-01T10:15:30.123456789Z"), "tabletop-v1", "1.0.0", "tabletop", "pick up the cube ✓",
                new double[] {0.1, -0.2, 0.3, 0, 0, 0, 1}, 3.5, 7.25, 200, null, 12345, 224, 224, 4, embedding, 0.9, "arm-3",
                new double[] {0.4, -0.2, 0.3, 0, 0, 0, 1}, List.of("clipped", "out_of_workspace"));
        InferenceLogEntry unflagged = new InferenceLogEntry(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                Instant.parse("2026-12-01T10:15:30Z"), "tabletop-v1", "1.0.0", "tabletop", "pick up the cube",
                new double[7], 3.5, 7.25, 200, null, 12345, 224, 224, 4, embedding, 0.9, null, null, List.of());
        InferenceLogEntry refused = new InferenceLogEntry(UUID.randomUUID(), UUID.randomUUID(), null,
                Instant.parse("2026-12-01T10:15:31Z"), null, null, null, null, null, null, 0.5, 400, "missing_image",
                null, null, null, null, null, null, null, null, null);
        journal.append(answered);
        journal.append(unflagged);
        journal.append(refused);

        List<InferenceLogEntry> read = journal.read(journal.start(), 10).rows();

        assertThat(read).usingRecursiveFieldByFieldElementComparator().containsExactly(answered, unflagged, refused);
    }

    @Test
    void textsAreCutToWhatTheLogStoresBeforeTheyAreJournaled() throws IOException {
        journal = new RequestJournal(folder, MB, 100 * MB);
        journal.append(row(400, "x".repeat(100_000) + "\0"));

        assertEquals(StorableValues.MAX_TEXT_CHARS, journal.read(journal.start(), 1).rows().get(0).instruction().length());
    }

    @Test
    void rowsNotStoredBeforeAStopAreReadAgainAfterIt() throws IOException {
        journal = new RequestJournal(folder, MB, 100 * MB);
        List<UUID> appended = append(30);
        Read firstTen = journal.read(journal.start(), 10);
        journal.stored(firstTen.next(), 10);
        journal.close();

        journal = new RequestJournal(folder, MB, 100 * MB);

        // Whole segments go once stored; the first ten share a segment with the rest, so all come back.
        assertEquals(appended, ids(readAll(journal.start())));
    }

    @Test
    void aRecordACrashCutShortIsSkippedAndTheRestIsRead() throws IOException {
        journal = new RequestJournal(folder, MB, 100 * MB);
        List<UUID> whole = append(5);
        journal.close();
        Path segment = segmentFiles().get(0);
        byte[] lastRecord = JournalRecords.encode(row(200, "cut short")).array();
        Files.write(segment, Arrays.copyOf(lastRecord, lastRecord.length / 2), StandardOpenOption.APPEND);

        journal = new RequestJournal(folder, MB, 100 * MB);
        List<UUID> after = append(3);

        List<UUID> expected = new ArrayList<>(whole);
        expected.addAll(after);
        assertEquals(expected, ids(readAll(journal.start())));
    }

    @Test
    void storedSegmentsAreDeletedAndTheirBytesFreed() throws IOException {
        journal = new RequestJournal(folder, 4096, 100 * MB);
        List<UUID> appended = append(200);
        assertThat(segmentFiles()).hasSizeGreaterThan(3);
        long before = journal.bytes();

        Read all = readAllAt(journal.start());
        journal.stored(all.next(), all.rows().size());

        assertEquals(appended, ids(all.rows()));
        assertThat(segmentFiles()).hasSize(1);
        assertThat(journal.bytes()).isLessThan(before / 3);
        assertEquals(0, journal.rowsWaiting());
    }

    @Test
    void aFullJournalRefusesRowsAndKeepsTheOnesItHas() throws IOException {
        journal = new RequestJournal(folder, 4096, 8192);
        List<UUID> kept = new ArrayList<>();
        assertThatThrownBy(() -> {
            while (true) {
                InferenceLogEntry row = row(200, "go");
                journal.append(row);
                kept.add(row.requestId());
            }
        }).isInstanceOf(RequestJournal.JournalFullException.class).hasMessageContaining("8192");

        assertThat(kept).isNotEmpty();
        assertEquals(kept, ids(readAll(journal.start())));
    }

    @Test
    void aSecondProcessCannotShareTheFolder() throws IOException {
        journal = new RequestJournal(folder, MB, 100 * MB);

        assertThatThrownBy(() -> new RequestJournal(folder, MB, 100 * MB))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("VLA_INFERENCE_REQUEST_LOG_JOURNAL_DIR");
    }

    private List<UUID> append(int rows) {
        return IntStream.range(0, rows).mapToObj(i -> {
            InferenceLogEntry row = row(200, "row " + i);
            try {
                journal.append(row);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return row.requestId();
        }).toList();
    }

    private static InferenceLogEntry row(int status, String instruction) {
        return new InferenceLogEntry(UUID.randomUUID(), UUID.randomUUID(), null, Instant.parse("2026-12-01T00:00:00Z"),
                "tabletop-v1", "1.0.0", null, instruction, null, null, 1.0, status, null, null, null, null, null, null,
                null, null, null, null);
    }

    private List<InferenceLogEntry> readAll(Position from) throws IOException {
        return readAllAt(from).rows();
    }

    private Read readAllAt(Position from) throws IOException {
        List<InferenceLogEntry> rows = new ArrayList<>();
        Position position = from;
        while (true) {
            Read read = journal.read(position, 50);
            if (read.rows().isEmpty()) {
                return new Read(rows, position);
            }
            rows.addAll(read.rows());
            position = read.next();
        }
    }

    private static List<UUID> ids(List<InferenceLogEntry> rows) {
        return rows.stream().map(InferenceLogEntry::requestId).toList();
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".journal")).sorted().toList();
        }
    }
}
