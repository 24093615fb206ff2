package com.vlaapi.inference.similarity;

import com.pgvector.PGvector;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One customer's logged requests nearest to a request, by cosine distance. Every statement is
 * filtered by the customer: another customer's request is neither a result nor a starting point.
 *
 * <ul>
 *   <li>By image: exactly, among the customer's requests of the last {@code days} days, read
 *       through the log's {@code (customer_id, "timestamp")} index. An HNSW index on the log's
 *       embeddings would have made every logged row far dearer to write (V12 says how much).</li>
 *   <li>By instruction: through an HNSW index over the customer's distinct instructions
 *       ({@link CustomerInstructions}); the requests of the nearest instructions are listed nearest
 *       instruction first, newest first. HNSW finds the nearest rows of all customers and the
 *       customer filter applies afterwards, so the search runs with pgvector's iterative scan
 *       ({@code relaxed_order}): it keeps walking the graph until the limit is filled or 20,000
 *       rows were visited, and the outer query re-sorts by exact distance.</li>
 * </ul>
 */
@Repository
class SimilaritySearch {

    /** Which of a logged request's sides to compare. */
    enum Basis {
        IMAGE,
        INSTRUCTION
    }

    /** A logged request near the one asked about; {@code distance} is its image's or its instruction's. */
    record SimilarRequest(UUID requestId, Instant timestamp, String instruction, double[] action,
                          Double safetyScore, int statusCode, double distance) {
    }

    static final String ITERATIVE_SCAN = "SET LOCAL hnsw.iterative_scan = relaxed_order";

    /** Parameters: vector, customer, since, excluded request, limit. */
    static final String LIKE_IMAGE = """
            SELECT request_id, "timestamp", instruction, action, safety_score, status_code,
                   embedding <=> ?::public.vector AS distance
            FROM inference.inference_logs
            WHERE customer_id = ? AND "timestamp" >= ? AND embedding IS NOT NULL AND request_id <> ?
            ORDER BY distance
            LIMIT ?""";

    /**
     * Parameters: vector, customer, vector, instructions, customer, excluded request, per
     * instruction, limit. MATERIALIZED keeps the planner from folding the outer sort into the
     * index scan's order.
     */
    static final String LIKE_INSTRUCTION = """
            WITH near AS MATERIALIZED (
                SELECT instruction, embedding <=> ?::public.vector AS distance
                FROM inference.customer_instructions
                WHERE customer_id = ?
                ORDER BY embedding <=> ?::public.vector
                LIMIT ?)
            SELECT l.request_id, l."timestamp", l.instruction, l.action, l.safety_score, l.status_code, near.distance
            FROM near CROSS JOIN LATERAL (
                SELECT request_id, "timestamp", instruction, action, safety_score, status_code
                FROM inference.inference_logs
                WHERE customer_id = ? AND instruction = near.instruction AND status_code = 200 AND request_id <> ?
                ORDER BY "timestamp" DESC
                LIMIT ?) l
            ORDER BY near.distance, l."timestamp" DESC
            LIMIT ?""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate readOnly;

    SimilaritySearch(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    /**
     * The customer's requests nearest to one of its own requests, that request excluded; empty when
     * the customer has no such request, an empty list when that side of it is unknown (an error has
     * no image embedding).
     */
    Optional<List<SimilarRequest>> likeRequest(UUID customerId, UUID requestId, Basis basis, int limit, Instant since) {
        return readOnly.execute(status -> {
            List<Asked> logged = jdbc.query("SELECT embedding::text, instruction FROM inference.inference_logs"
                            + " WHERE customer_id = ? AND request_id = ? LIMIT 1",
                    (rs, n) -> new Asked(rs.getString(1), rs.getString(2)), customerId, requestId);
            if (logged.isEmpty()) {
                return Optional.empty();
            }
            Asked asked = logged.get(0);
            if (basis == Basis.IMAGE) {
                return Optional.of(asked.embedding() == null ? List.of()
                        : likeImage(customerId, asked.embedding(), requestId, limit, since));
            }
            float[] instruction = InstructionEmbedding.of(asked.instruction());
            return Optional.of(instruction == null ? List.of() : likeInstruction(customerId, instruction, requestId, limit));
        });
    }

    /** The customer's requests whose instruction is nearest to this one's embedding. */
    List<SimilarRequest> likeInstruction(UUID customerId, float[] instructionEmbedding, int limit) {
        return readOnly.execute(status -> likeInstruction(customerId, instructionEmbedding, null, limit));
    }

    private record Asked(String embedding, String instruction) {
    }

    private List<SimilarRequest> likeImage(UUID customerId, String vector, UUID excluded, int limit, Instant since) {
        return jdbc.query(LIKE_IMAGE, SimilaritySearch::similar,
                vector, customerId, OffsetDateTime.ofInstant(since, ZoneOffset.UTC), excluded, limit);
    }

    private List<SimilarRequest> likeInstruction(UUID customerId, float[] embedding, UUID excluded, int limit) {
        jdbc.execute(ITERATIVE_SCAN);
        String vector = new PGvector(embedding).toString();
        // Excluding nothing: a request id no request has.
        UUID excludedOrNone = excluded != null ? excluded : new UUID(0, 0);
        return jdbc.query(LIKE_INSTRUCTION, SimilaritySearch::similar,
                vector, customerId, vector, limit, customerId, excludedOrNone, limit, limit);
    }

    private static SimilarRequest similar(ResultSet rs, int row) throws SQLException {
        Array action = rs.getArray("action");
        return new SimilarRequest(rs.getObject("request_id", UUID.class),
                rs.getObject("timestamp", OffsetDateTime.class).toInstant(), rs.getString("instruction"),
                action == null ? null : Arrays.stream((Double[]) action.getArray()).mapToDouble(Double::doubleValue).toArray(),
                rs.getObject("safety_score", Double.class), rs.getInt("status_code"), rs.getDouble("distance"));
    }
}
