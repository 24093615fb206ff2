package com.vlaapi.inference.portal;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * One customer's requests from the request log, for the portal. Every statement is held to the
 * customer, so another customer's request id finds nothing, exactly like an id never logged.
 *
 * <p>A page is the newest rows through the log's {@code (customer_id, "timestamp")} index (or
 * V13's partial index of the errors), read backwards in each monthly partition and merged: it costs
 * the rows it returns, whatever the customer's history (docs/modules/inference-service.md#customer-portal
 * has the numbers at a million rows). Whether an image is stored is one primary-key probe of
 * {@code training_images} per returned row: a join could read all of a consenting customer's links.
 */
@Repository
class CustomerRequests {

    private static final String SUMMARY_COLUMNS = """
            SELECT request_id, "timestamp", instruction, status_code, error_code, total_latency_ms, safety_score,
                   safety_flags, robot, model,
                   EXISTS (SELECT 1 FROM inference.training_images t
                           WHERE t.request_id = l.request_id AND t.customer_id = l.customer_id) AS image_stored""";

    /** Parameters: request, customer. */
    static final String FIND = SUMMARY_COLUMNS
            + ", action, raw_action, inference_latency_ms, image_width, image_height, image_bytes, api_key_id"
            + "\nFROM inference.inference_logs l WHERE request_id = ? AND customer_id = ?";

    private final JdbcTemplate jdbc;

    CustomerRequests(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Up to {@code limit} of the customer's requests, newest first, before {@code before} when given. */
    List<RequestSummary> newest(UUID customerId, StatusFilter status, Optional<Instant> before, int limit) {
        List<Object> arguments = new ArrayList<>(List.of(customerId));
        before.ifPresent(instant -> arguments.add(OffsetDateTime.ofInstant(instant, ZoneOffset.UTC)));
        arguments.add(limit);
        return jdbc.query(newestQuery(status, before.isPresent()), CustomerRequests::summary, arguments.toArray());
    }

    /** Parameters: customer, the instant rows are before (when {@code before}), limit. */
    static String newestQuery(StatusFilter status, boolean before) {
        return SUMMARY_COLUMNS + "\nFROM inference.inference_logs l WHERE customer_id = ?" + status.condition()
                + (before ? " AND \"timestamp\" < ?" : "") + " ORDER BY \"timestamp\" DESC LIMIT ?";
    }

    /**
     * The customer's request with that id. By primary key in each monthly partition: the id alone
     * does not say which month holds it.
     */
    Optional<RequestDetail> find(UUID customerId, UUID requestId) {
        return jdbc.query(FIND, CustomerRequests::detail, requestId, customerId).stream().findFirst();
    }

    private static RequestSummary summary(ResultSet row, int rowNumber) throws SQLException {
        return new RequestSummary(
                row.getObject("request_id", UUID.class),
                row.getObject("timestamp", OffsetDateTime.class).toInstant(),
                row.getString("instruction"),
                row.getInt("status_code"),
                row.getString("error_code"),
                row.getObject("total_latency_ms", Double.class),
                row.getObject("safety_score", Double.class),
                flags(row.getArray("safety_flags")),
                row.getString("robot"),
                row.getString("model"),
                row.getBoolean("image_stored"));
    }

    private static RequestDetail detail(ResultSet row, int rowNumber) throws SQLException {
        RequestSummary summary = summary(row, rowNumber);
        return new RequestDetail(summary.requestId(), summary.timestamp(), summary.instruction(), summary.statusCode(),
                summary.errorCode(), summary.totalLatencyMs(), summary.safetyScore(), summary.safetyFlags(),
                summary.robot(), summary.model(), summary.imageStored(),
                numbers(row.getArray("action")),
                numbers(row.getArray("raw_action")),
                row.getObject("inference_latency_ms", Double.class),
                row.getObject("image_width", Integer.class),
                row.getObject("image_height", Integer.class),
                row.getObject("image_bytes", Integer.class),
                row.getObject("api_key_id", UUID.class));
    }

    /** Null (no review) reads as no flags: the portal shows flags, the status says whether there was a review. */
    private static List<String> flags(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static List<Double> numbers(Array array) throws SQLException {
        return array == null ? null : Arrays.asList((Double[]) array.getArray());
    }
}
