package com.vlaapi.inference.similarity;

import com.pgvector.PGvector;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Each customer's distinct instructions with their text embedding ({@code customer_instructions}),
 * which "requests like this instruction" searches. Written by the request log in the transaction
 * of its rows, so a stored request's instruction is always searchable.
 */
@Repository
public class CustomerInstructions {

    /** A successful request's instruction, exactly as the log stores it. */
    public record Seen(UUID customerId, String instruction, Instant at) {
    }

    private static final String REMEMBER = """
            INSERT INTO inference.customer_instructions (customer_id, instruction, embedding, first_seen)
            VALUES (?, ?, ?, ?) ON CONFLICT (customer_id, instruction_md5) DO NOTHING""";

    private record Key(UUID customerId, String instruction) {
    }

    private final JdbcTemplate jdbc;

    CustomerInstructions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the instructions not stored yet, once per customer and text; call in the rows' transaction. */
    public void remember(List<Seen> seen) {
        Map<Key, Instant> first = new LinkedHashMap<>();
        for (Seen instruction : seen) {
            if (instruction.instruction() != null) {
                first.merge(new Key(instruction.customerId(), instruction.instruction()), instruction.at(),
                        (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        List<Object[]> distinct = new ArrayList<>();
        first.forEach((key, at) -> {
            float[] embedding = InstructionEmbedding.of(key.instruction());
            if (embedding != null) {
                distinct.add(new Object[] {key.customerId(), key.instruction(), new PGvector(embedding), Timestamp.from(at)});
            }
        });
        if (!distinct.isEmpty()) {
            jdbc.batchUpdate(REMEMBER, distinct);
        }
    }
}
