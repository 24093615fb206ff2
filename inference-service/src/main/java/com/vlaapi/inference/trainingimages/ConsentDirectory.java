package com.vlaapi.inference.trainingimages;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Who consented to keep request images for training, and since when: customer-service's
 * {@code customer.customers_v1}, the one part of its schema granted to this service.
 */
@Repository
class ConsentDirectory {

    private final JdbcTemplate jdbc;

    ConsentDirectory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Set<UUID> consenting() {
        return new HashSet<>(jdbc.queryForList("""
                SELECT customer_id FROM customer.customers_v1 WHERE training_images_consent_at IS NOT NULL""",
                UUID.class));
    }

    /** Whether the customer's consent, as it stands now, covers a request that arrived then. */
    boolean covers(UUID customerId, Instant requestArrivedAt) {
        return jdbc.queryForList("""
                SELECT training_images_consent_at FROM customer.customers_v1 WHERE customer_id = ?""",
                Timestamp.class, customerId).stream()
                .anyMatch(consentAt -> consentAt != null && !consentAt.toInstant().isAfter(requestArrivedAt));
    }
}
