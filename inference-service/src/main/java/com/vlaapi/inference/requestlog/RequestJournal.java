package com.vlaapi.inference.requestlog;

import com.vlaapi.servicecontract.RequestIds;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request log's write-ahead journal, in a folder of its own. A row is appended here on the
 * request thread before the response is sent, so an answered request survives a crash of the
 * process, {@code kill -9} included (the bytes are in the operating system's page cache once the
 * write returns; surviving a crash of the machine would take an fsync per request). The
 * {@link RequestLogWriter} reads the rows back in order, stores them in PostgreSQL, and then
 * tells the journal, which deletes each segment file whose rows are all stored. A journal left
 * by a previous process is read first, so its rows reach the database after a restart.
 *
 * <p>Segment files are append-only: {@code <sequence>.journal}, each record as
 * {@link JournalRecords} writes it. A new process never appends to an old segment, so only an
 * old segment's end can hold a record a crash cut short, which its checksum reveals. A lock
 * file keeps a second process (a second instance given the same folder) out.
 */
final class RequestJournal implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(RequestJournal.class);
    private static final String SUFFIX = ".journal";
    /** Holds the largest record whole, so a record is never cut by a chunk's end for good. */
    private static final int READ_CHUNK_BYTES = JournalRecords.HEADER_BYTES + JournalRecords.MAX_PAYLOAD_BYTES;

    /** Where the writer has read up to: a segment and a byte offset in it. */
    record Position(long segment, long offset) {
    }

    /** Rows read from the journal and the position just after them. */
    record Read(List<InferenceLogEntry> rows, Position next) {
    }

    /** Thrown by {@link #append} when the journal holds {@code maxBytes} already. */
    static final class JournalFullException extends IOException {
        JournalFullException(String message) {
            super(message);
        }
    }

    private static final class Segment {
        final long sequence;
        final Path file;
        final FileChannel channel;
        /** Bytes of whole records; a failed write may leave more in the file, which readers never see. */
        volatile long size;
        /** No more appends: a reader at its end moves on to the next segment. */
        volatile boolean sealed;

        Segment(long sequence, Path file, FileChannel channel, long size, boolean sealed) {
            this.sequence = sequence;
            this.file = file;
            this.channel = channel;
            this.size = size;
            this.sealed = sealed;
        }
    }

    private final Path folder;
    private final long segmentBytes;
    private final long maxBytes;
    private static final String ID_FILE = "journal-id";

    private final UUID id;
    private final FileChannel lockFile;
    private final FileLock lock;
    /** Oldest first; the last is the one appends go to. */
    private final ConcurrentLinkedDeque<Segment> segments = new ConcurrentLinkedDeque<>();
    private final AtomicLong totalBytes = new AtomicLong();
    private final AtomicLong appendedRows = new AtomicLong();
    private final AtomicLong storedRows = new AtomicLong();
    private Segment current;

    RequestJournal(Path folder, long segmentBytes, long maxBytes) throws IOException {
        this.folder = folder.toAbsolutePath();
        this.segmentBytes = segmentBytes;
        this.maxBytes = maxBytes;
        Files.createDirectories(this.folder);
        lockFile = FileChannel.open(this.folder.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        lock = lockOrFail();
        id = readOrCreateId(this.folder.resolve(ID_FILE));
        long last = 0;
        for (Path file : segmentFiles()) {
            long sequence = sequenceOf(file);
            last = Math.max(last, sequence);
            long size = Files.size(file);
            if (size == 0) {
                Files.delete(file);
                continue;
            }
            segments.add(new Segment(sequence, file, FileChannel.open(file, StandardOpenOption.READ), size, true));
            totalBytes.addAndGet(size);
        }
        if (!segments.isEmpty()) {
            log.info("request log: {} bytes in {} segments of {} were not stored before the last stop; storing them now",
                    totalBytes.get(), segments.size(), this.folder);
        }
        current = openSegment(last + 1);
    }

    /** The journal's identity, kept in its folder: the database knows how far each journal is stored. */
    private static UUID readOrCreateId(Path file) throws IOException {
        if (Files.exists(file)) {
            Optional<UUID> id = RequestIds.parseCanonical(Files.readString(file).strip());
            if (id.isPresent()) {
                return id.get();
            }
        }
        UUID id = UUID.randomUUID();
        Path written = Files.writeString(file.resolveSibling(ID_FILE + ".new"), id.toString());
        Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return id;
    }

    UUID id() {
        return id;
    }

    private FileLock lockOrFail() throws IOException {
        FileLock acquired;
        try {
            acquired = lockFile.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            acquired = null;
        }
        if (acquired == null) {
            lockFile.close();
            throw new IllegalStateException("another process uses the request journal in " + folder
                    + "; give each inference-service instance its own folder"
                    + " (vla.inference.request-log.journal-dir, VLA_INFERENCE_REQUEST_LOG_JOURNAL_DIR)");
        }
        return acquired;
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().matches("\\d{20}" + SUFFIX)).sorted().toList();
        }
    }

    private static long sequenceOf(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
    }

    private Segment openSegment(long sequence) throws IOException {
        Path file = folder.resolve(String.format("%020d%s", sequence, SUFFIX));
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        Segment segment = new Segment(sequence, file, channel, 0, false);
        segments.add(segment);
        return segment;
    }

    /** Appends the row; once this returns, the row outlives this process. */
    void append(InferenceLogEntry row) throws IOException {
        ByteBuffer record = JournalRecords.encode(row);
        int bytes = record.remaining();
        synchronized (this) {
            if (totalBytes.get() + bytes > maxBytes) {
                throw new JournalFullException("the request journal in " + folder + " holds " + totalBytes.get()
                        + " bytes not yet stored in the database (the most allowed: " + maxBytes + ")");
            }
            if (current.size > 0 && current.size + bytes > segmentBytes) {
                roll();
            }
            try {
                while (record.hasRemaining()) {
                    current.channel.write(record);
                }
            } catch (IOException e) {
                // Part of the record may be in the file: end the segment before it, so no reader sees it.
                roll();
                throw e;
            }
            current.size += bytes;
        }
        totalBytes.addAndGet(bytes);
        appendedRows.incrementAndGet();
    }

    private void roll() throws IOException {
        current.sealed = true;
        current = openSegment(current.sequence + 1);
    }

    /** Where the oldest row not yet stored is. */
    Position start() {
        return new Position(segments.getFirst().sequence, 0);
    }

    /** Up to {@code maxRows} whole rows from {@code from} on; none when nothing new was appended. */
    Read read(Position from, int maxRows) throws IOException {
        List<InferenceLogEntry> rows = new ArrayList<>();
        long sequence = from.segment();
        long offset = from.offset();
        while (rows.size() < maxRows) {
            Segment segment = segment(sequence);
            long end = segment.size;
            if (offset >= end) {
                Optional<Segment> next = segment.sealed ? next(segment) : Optional.empty();
                if (next.isEmpty()) {
                    break;
                }
                sequence = next.get().sequence;
                offset = 0;
                continue;
            }
            long before = offset;
            offset = readRecords(segment, offset, end, maxRows, rows);
            if (offset == before) {
                if (!segment.sealed) {
                    break;
                }
                log.warn("request log: {} bytes at the end of {} are not a whole record (a crash cut them short); skipped",
                        end - offset, segment.file);
                offset = end;
            }
        }
        return new Read(rows, new Position(sequence, offset));
    }

    /** Parses whole records from one chunk of the segment; returns the offset after the last one. */
    private long readRecords(Segment segment, long offset, long end, int maxRows, List<InferenceLogEntry> rows)
            throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(READ_CHUNK_BYTES, end - offset));
        while (chunk.hasRemaining()) {
            if (segment.channel.read(chunk, offset + chunk.position()) < 0) {
                break;
            }
        }
        chunk.flip();
        while (rows.size() < maxRows && chunk.remaining() >= JournalRecords.HEADER_BYTES) {
            int length = chunk.getInt(chunk.position());
            int checksum = chunk.getInt(chunk.position() + 4);
            if (length < 0 || length > JournalRecords.MAX_PAYLOAD_BYTES
                    || chunk.remaining() < JournalRecords.HEADER_BYTES + length) {
                break;
            }
            ByteBuffer payload = chunk.slice(chunk.position() + JournalRecords.HEADER_BYTES, length);
            Optional<InferenceLogEntry> row = JournalRecords.decode(payload, checksum);
            if (row.isEmpty()) {
                break;
            }
            rows.add(row.get());
            chunk.position(chunk.position() + JournalRecords.HEADER_BYTES + length);
        }
        return offset + chunk.position();
    }

    private Segment segment(long sequence) {
        for (Segment segment : segments) {
            if (segment.sequence == sequence) {
                return segment;
            }
        }
        throw new IllegalStateException("request journal segment " + sequence + " is gone");
    }

    private Optional<Segment> next(Segment segment) {
        for (Segment candidate : segments) {
            if (candidate.sequence > segment.sequence) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Every row before {@code position} is in the database: their segments go. */
    void stored(Position position, int rows) {
        storedRows.addAndGet(rows);
        Segment oldest;
        while ((oldest = segments.peekFirst()) != null && oldest.sealed && oldest.sequence < position.segment()) {
            segments.removeFirst();
            totalBytes.addAndGet(-oldest.size);
            try {
                oldest.channel.close();
                Files.deleteIfExists(oldest.file);
            } catch (IOException e) {
                // Harmless but for disk space: a next start stores its rows again, and storing is idempotent.
                log.warn("request log: could not delete the stored journal segment {}: {}", oldest.file, e.toString());
            }
        }
    }

    /** Bytes in the journal not yet stored in the database (whole segments: a segment goes when all its rows are). */
    long bytes() {
        return totalBytes.get();
    }

    /**
     * Rows appended and not stored yet, as far as this process counts: rows a previous process
     * left are not counted until they are stored (the gauge stays at 0 meanwhile; {@link #bytes} has them).
     */
    long rowsWaiting() {
        return Math.max(0, appendedRows.get() - storedRows.get());
    }

    Path folder() {
        return folder;
    }

    @Override
    public synchronized void close() throws IOException {
        for (Segment segment : segments) {
            segment.channel.close();
        }
        if (current.size == 0) {
            Files.deleteIfExists(current.file);
        }
        lock.release();
        lockFile.close();
    }
}
