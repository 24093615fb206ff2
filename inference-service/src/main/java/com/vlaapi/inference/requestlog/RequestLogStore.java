package com.vlaapi.inference.requestlog;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Where the writer puts rows; an interface so the writer's retry logic can be tested without a database. */
interface RequestLogStore {

    /** Stores every row or throws; storing the same request id twice keeps the first row (retries are safe). */
    void insert(List<InferenceLogEntry> rows);

    /**
     * Records that every row journal {@code journal} took before {@code storedThrough} is stored, and
     * whether the journal is closed (empty, its process stopping), as of {@code now}; a later report
     * never moves {@code storedThrough} back.
     */
    void reportJournal(UUID journal, Instant storedThrough, boolean closed, Instant now);
}
