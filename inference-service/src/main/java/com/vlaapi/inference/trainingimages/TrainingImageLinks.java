package com.vlaapi.inference.trainingimages;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** {@code inference.training_images}: which stored object holds a logged request's image. */
@Repository
class TrainingImageLinks {

    private final JdbcTemplate jdbc;

    TrainingImageLinks(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A request id is stored once: a repeat (a retried request) keeps the first link. */
    void link(UUID requestId, UUID customerId, String objectKey, Instant storedAt) {
        jdbc.update("""
                INSERT INTO inference.training_images (request_id, customer_id, object_key, stored_at)
                VALUES (?, ?, ?, ?) ON CONFLICT (request_id) DO NOTHING""",
                requestId, customerId, objectKey, Timestamp.from(storedAt));
    }

    Optional<String> objectKey(UUID customerId, UUID requestId) {
        return jdbc.queryForList("""
                SELECT object_key FROM inference.training_images WHERE request_id = ? AND customer_id = ?""",
                String.class, requestId, customerId).stream().findFirst();
    }

    int deleteAll(UUID customerId) {
        return jdbc.update("DELETE FROM inference.training_images WHERE customer_id = ?", customerId);
    }

    List<String> storedBefore(Instant cutoff, int limit) {
        return jdbc.queryForList("""
                SELECT object_key FROM inference.training_images WHERE stored_at < ? ORDER BY stored_at LIMIT ?""",
                String.class, Timestamp.from(cutoff), limit);
    }

    void delete(List<String> objectKeys) {
        jdbc.update("DELETE FROM inference.training_images WHERE object_key = ANY (?)",
                (Object) objectKeys.toArray(String[]::new));
    }
}
