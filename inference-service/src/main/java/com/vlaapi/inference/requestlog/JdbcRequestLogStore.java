package com.vlaapi.inference.requestlog;

import static com.vlaapi.inference.requestlog.StorableValues.embedding;
import static com.vlaapi.inference.requestlog.StorableValues.safetyScore;
import static com.vlaapi.inference.requestlog.StorableValues.text;

import com.pgvector.PGvector;
import com.vlaapi.inference.postgres.BinaryCopyRows;
import com.vlaapi.inference.similarity.CustomerInstructions;
import com.vlaapi.inference.usage.UsageEvent;
import com.vlaapi.inference.usage.UsageOutbox;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores request-log rows and, in the same transaction, hands the billable ones to the usage
 * outbox ({@link UsageOutbox}, which owns its table) for billing-service: a request is logged and
 * queued for billing together or not at all, so billed usage can never drift from the log.
 *
 * <p>A batch is streamed with binary COPY, the cheapest way into PostgreSQL for the database and
 * for this service (docs/benchmarks.md). Each request id is logged once: the log is partitioned by
 * month, and PostgreSQL has no unique index across partitions, so the ids also go to
 * {@code inference.logged_request_ids} (first, in the same transaction), whose primary key is the
 * one that holds across months. COPY cannot skip rows that already exist, so a batch holding an
 * already-logged request id (a retry whose first commit did succeed, or the same request logged by
 * another instance at another time) fails there with a unique violation and is then stored again
 * by registering its ids with {@code ON CONFLICT DO NOTHING} and inserting only the rows whose id
 * was new. Values the table cannot hold are cleaned first ({@link StorableValues}).
 */
@Repository
class JdbcRequestLogStore implements RequestLogStore {

    private static final String COPY_LOG = """
            COPY inference.inference_logs (request_id, customer_id, api_key_id, "timestamp", model, model_version,
                unnorm_key, instruction, action, inference_latency_ms, total_latency_ms, status_code, error_code,
                image_bytes, image_width, image_height, batch_size, embedding, safety_score, robot, raw_action,
                safety_flags)
            FROM STDIN (FORMAT binary)""";
    private static final int LOG_COLUMNS = 22;

    private static final String COPY_IDS = """
            COPY inference.logged_request_ids (request_id, "timestamp") FROM STDIN (FORMAT binary)""";

    /** The ids of the batch that were not logged yet, now registered (a batch may repeat an id). */
    private static final String REGISTER_NEW_IDS = """
            INSERT INTO inference.logged_request_ids (request_id, "timestamp")
            SELECT * FROM unnest(?::uuid[], ?::timestamptz[])
            ON CONFLICT (request_id) DO NOTHING
            RETURNING request_id""";

    private static final String INSERT = """
            INSERT INTO inference.inference_logs (request_id, customer_id, api_key_id, "timestamp", model,
                model_version, unnorm_key, instruction, action, inference_latency_ms, total_latency_ms, status_code,
                error_code, image_bytes, image_width, image_height, batch_size, embedding, safety_score, robot,
                raw_action, safety_flags)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private static final String REPORT_JOURNAL = """
            INSERT INTO inference.request_journals (journal_id, stored_through, closed, updated_at)
            VALUES (?, ?, ?, ?)
            ON CONFLICT (journal_id) DO UPDATE
            SET stored_through = greatest(request_journals.stored_through, EXCLUDED.stored_through),
                closed = EXCLUDED.closed, updated_at = EXCLUDED.updated_at""";

    /**
     * The stored rows rather than the batch: if a request id was already logged, the outbox gets
     * what the log says (billing must agree with the log, exactly). One primary-key probe per id:
     * as {@code request_id = ANY(?)} the planner scanned a partition without statistics yet whole
     * (RequestLogPlanIntegrationTest), and the LIMIT keeps it from flattening the probes into a join.
     */
    private static final String LOGGED_BILLABLE = """
            SELECT l.request_id, l.customer_id, l.api_key_id, l."timestamp", l.model
            FROM unnest(?::uuid[]) AS wanted(request_id),
                 LATERAL (SELECT request_id, customer_id, api_key_id, "timestamp", model, status_code
                          FROM inference.inference_logs WHERE request_id = wanted.request_id LIMIT 1) l
            WHERE l.status_code = 200""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final UsageOutbox usageOutbox;
    private final CustomerInstructions instructions;

    JdbcRequestLogStore(JdbcTemplate jdbc, PlatformTransactionManager transactions, UsageOutbox usageOutbox,
                        CustomerInstructions instructions) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.usageOutbox = usageOutbox;
        this.instructions = instructions;
    }

    @Override
    public void insert(List<InferenceLogEntry> rows) {
        try {
            transaction.executeWithoutResult(status -> {
                copy(rows);
                rememberInstructions(rows);
            });
        } catch (DuplicateKeyException alreadyLogged) {
            transaction.executeWithoutResult(status -> {
                insertSkippingLogged(rows);
                rememberInstructions(rows);
            });
        }
    }

    /** Successful requests' instructions, as stored, for the similarity search. */
    private void rememberInstructions(List<InferenceLogEntry> rows) {
        instructions.remember(rows.stream().filter(InferenceLogEntry::billable)
                .map(row -> new CustomerInstructions.Seen(row.customerId(), text(row.instruction()), row.timestamp()))
                .toList());
    }

    @Override
    public void reportJournal(UUID journal, Instant storedThrough, boolean closed, Instant now) {
        jdbc.update(REPORT_JOURNAL, journal, OffsetDateTime.ofInstant(storedThrough, ZoneOffset.UTC), closed,
                OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
    }

    private void copy(List<InferenceLogEntry> rows) {
        BinaryCopyRows ids = new BinaryCopyRows(rows.size() * 40);
        BinaryCopyRows log = new BinaryCopyRows(rows.size() * 640);
        List<UsageEvent> billable = new ArrayList<>();
        for (InferenceLogEntry row : rows) {
            ids.row(2).uuid(row.requestId()).timestamptz(row.timestamp());
            log.row(LOG_COLUMNS).uuid(row.requestId()).uuid(row.customerId()).uuid(row.apiKeyId())
                    .timestamptz(row.timestamp()).text(text(row.model())).text(text(row.modelVersion()))
                    .text(text(row.unnormKey())).text(text(row.instruction())).float8Array(row.action())
                    .float8(row.inferenceLatencyMs()).float8(row.totalLatencyMs()).int4(row.statusCode())
                    .text(text(row.errorCode())).int4(row.imageBytes()).int4(row.imageWidth()).int4(row.imageHeight())
                    .int4(row.batchSize()).vector(embedding(row.embedding()))
                    .float8(safetyScore(row.safetyScore())).text(text(row.robot())).float8Array(row.rawAction())
                    .textArray(row.safetyFlags());
            if (row.billable()) {
                billable.add(new UsageEvent(row.requestId(), row.customerId(), row.apiKeyId(), row.timestamp(),
                        text(row.model())));
            }
        }
        ids.copyInto(jdbc, COPY_IDS);
        log.copyInto(jdbc, COPY_LOG);
        if (!billable.isEmpty()) {
            usageOutbox.enqueue(billable);
        }
    }

    private void insertSkippingLogged(List<InferenceLogEntry> rows) {
        UUID[] billable = rows.stream().filter(InferenceLogEntry::billable).map(InferenceLogEntry::requestId)
                .toArray(UUID[]::new);
        Set<UUID> newIds = registerNewIds(rows);
        List<InferenceLogEntry> unlogged = rows.stream().filter(row -> newIds.remove(row.requestId())).toList();
        if (!unlogged.isEmpty()) {
            jdbc.batchUpdate(INSERT, unlogged, unlogged.size(), JdbcRequestLogStore::bind);
        }
        if (billable.length > 0) {
            List<UsageEvent> logged = jdbc.query(connection -> {
                PreparedStatement ps = connection.prepareStatement(LOGGED_BILLABLE);
                ps.setArray(1, connection.createArrayOf("uuid", billable));
                return ps;
            }, (rs, n) -> new UsageEvent(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                    rs.getObject(3, UUID.class), rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getString(5)));
            if (!logged.isEmpty()) {
                usageOutbox.enqueueSkippingQueued(logged);
            }
        }
    }

    /** Registers the rows' ids that are not logged yet and returns them. */
    private Set<UUID> registerNewIds(List<InferenceLogEntry> rows) {
        Set<UUID> registered = new HashSet<>();
        jdbc.query(connection -> {
            PreparedStatement ps = connection.prepareStatement(REGISTER_NEW_IDS);
            ps.setArray(1, connection.createArrayOf("uuid", rows.stream().map(InferenceLogEntry::requestId).toArray()));
            ps.setArray(2, connection.createArrayOf("text", rows.stream().map(row -> storedTime(row).toString()).toArray()));
            return ps;
        }, rs -> {
            registered.add(rs.getObject(1, UUID.class));
        });
        return registered;
    }

    /** Truncated like the COPY path: a request's time must not depend on which path stored it. */
    private static Instant storedTime(InferenceLogEntry row) {
        return row.timestamp().truncatedTo(ChronoUnit.MICROS);
    }

    private static void bind(PreparedStatement ps, InferenceLogEntry row) throws SQLException {
        ps.setObject(1, row.requestId());
        ps.setObject(2, row.customerId());
        ps.setObject(3, row.apiKeyId(), Types.OTHER);
        ps.setObject(4, OffsetDateTime.ofInstant(storedTime(row), ZoneOffset.UTC));
        ps.setString(5, text(row.model()));
        ps.setString(6, text(row.modelVersion()));
        ps.setString(7, text(row.unnormKey()));
        ps.setString(8, text(row.instruction()));
        if (row.action() == null) {
            ps.setNull(9, Types.ARRAY);
        } else {
            ps.setObject(9, row.action());
        }
        ps.setObject(10, row.inferenceLatencyMs(), Types.DOUBLE);
        ps.setDouble(11, row.totalLatencyMs());
        ps.setInt(12, row.statusCode());
        ps.setString(13, text(row.errorCode()));
        ps.setObject(14, row.imageBytes(), Types.INTEGER);
        ps.setObject(15, row.imageWidth(), Types.INTEGER);
        ps.setObject(16, row.imageHeight(), Types.INTEGER);
        ps.setObject(17, row.batchSize(), Types.INTEGER);
        float[] embedding = embedding(row.embedding());
        if (embedding != null) {
            ps.setObject(18, new PGvector(embedding));
        } else {
            ps.setNull(18, Types.OTHER);
        }
        ps.setObject(19, safetyScore(row.safetyScore()), Types.DOUBLE);
        ps.setString(20, text(row.robot()));
        if (row.rawAction() == null) {
            ps.setNull(21, Types.ARRAY);
        } else {
            ps.setObject(21, row.rawAction());
        }
        if (row.safetyFlags() == null) {
            ps.setNull(22, Types.ARRAY);
        } else {
            ps.setArray(22, ps.getConnection().createArrayOf("text", row.safetyFlags().toArray()));
        }
    }
}
