package com.vlaapi.inference.ood;

import com.pgvector.PGvector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** {@code inference.reference_embeddings}: each served model version's references, stored once. */
@Repository
public class ReferenceEmbeddingStore {

    private static final int BATCH = 1000;

    private final JdbcTemplate jdbc;

    public ReferenceEmbeddingStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores the references ({@code count x dimension}, row-major) unless the version already has
     * some; returns whether it stored them. Instances starting together may both insert: the
     * primary key and {@code ON CONFLICT DO NOTHING} keep one copy.
     */
    public boolean storeIfAbsent(String model, String modelVersion, float[] references, int dimension) {
        if (stored(model, modelVersion) > 0) {
            return false;
        }
        int count = references.length / dimension;
        for (int start = 0; start < count; start += BATCH) {
            List<Object[]> rows = new ArrayList<>();
            for (int i = start; i < Math.min(count, start + BATCH); i++) {
                rows.add(new Object[] {model, modelVersion, i,
                        new PGvector(Arrays.copyOfRange(references, i * dimension, (i + 1) * dimension))});
            }
            jdbc.batchUpdate("INSERT INTO reference_embeddings (model, model_version, ordinal, embedding)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", rows);
        }
        return true;
    }

    public int stored(String model, String modelVersion) {
        Integer count = jdbc.queryForObject("SELECT count(*) FROM reference_embeddings WHERE model = ? AND model_version = ?",
                Integer.class, model, modelVersion);
        return count == null ? 0 : count;
    }
}
