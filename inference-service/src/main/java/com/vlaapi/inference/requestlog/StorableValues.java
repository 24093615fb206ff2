package com.vlaapi.inference.requestlog;

/**
 * A row's values cut to what {@code inference.inference_logs} can hold. One value the database
 * rejects would fail its whole batch on every retry and stall the log, so rows are cleaned
 * before they are journaled and again before they are stored (a journal may predate a change).
 */
final class StorableValues {

    /** The width of the {@code embedding vector(64)} column (V1 migration). */
    static final int EMBEDDING_DIMENSIONS = 64;
    /** Text columns hold what a client sent; an oversized instruction is an error, not worth storing whole. */
    static final int MAX_TEXT_CHARS = 2000;

    private StorableValues() {
    }

    /** PostgreSQL text cannot hold NUL characters, which JSON strings can. */
    static String text(String value) {
        if (value == null) {
            return null;
        }
        String clean = value.indexOf('\0') >= 0 ? value.replace("\0", "") : value;
        return clean.length() > MAX_TEXT_CHARS ? clean.substring(0, MAX_TEXT_CHARS) : clean;
    }

    /** pgvector rejects NaN and infinity, and the column has a fixed width: such an embedding is not stored. */
    static float[] embedding(float[] embedding) {
        if (embedding == null || embedding.length != EMBEDDING_DIMENSIONS) {
            return null;
        }
        for (float v : embedding) {
            if (!Float.isFinite(v)) {
                return null;
            }
        }
        return embedding;
    }

    /** The column's CHECK allows [0, 1] only. */
    static Double safetyScore(Double score) {
        return score != null && score >= 0 && score <= 1 ? score : null;
    }
}
