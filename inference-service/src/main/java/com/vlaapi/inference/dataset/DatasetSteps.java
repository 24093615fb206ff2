package com.vlaapi.inference.dataset;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * A customer's stored training images of one UTC month joined with their request-log rows, read
 * from the log's month partition through its (customer_id, "timestamp") index. Both tables are
 * held to the customer: a link is only ever written for its own request, and a step of another
 * customer must never reach this one's dataset even if one were not.
 */
@Repository
class DatasetSteps {

    private static final String FROM = """
            FROM inference.inference_logs l
            JOIN inference.training_images t ON t.request_id = l.request_id
            WHERE l.customer_id = ? AND t.customer_id = l.customer_id AND l.status_code = 200
              AND l."timestamp" >= ? AND l."timestamp" < ?
            """;
    private static final String COLUMNS = """
            SELECT l.request_id, l."timestamp", l.instruction, l.action, l.raw_action, l.unnorm_key, l.model,
                   l.model_version, l.safety_score, l.safety_flags, l.robot, t.object_key
            """;
    private static final String ORDER = "ORDER BY l.\"timestamp\", l.request_id LIMIT ?";

    private final JdbcTemplate jdbc;

    DatasetSteps(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Up to {@code limit} steps in arrival order, request id breaking ties, after {@code after} when given. */
    List<DatasetStep> page(UUID customerId, YearMonth month, Optional<DatasetCursor> after, int limit) {
        OffsetDateTime from = start(month);
        if (after.isEmpty()) {
            return jdbc.query(COLUMNS + FROM + ORDER, DatasetSteps::step, customerId, from, from.plusMonths(1), limit);
        }
        return jdbc.query(COLUMNS + FROM + "AND (l.\"timestamp\", l.request_id) > (?, ?)\n" + ORDER, DatasetSteps::step,
                customerId, from, from.plusMonths(1), after.get().timestamp().atOffset(ZoneOffset.UTC), after.get().requestId(),
                limit);
    }

    long count(UUID customerId, YearMonth month) {
        OffsetDateTime from = start(month);
        Long count = jdbc.queryForObject("SELECT count(*) " + FROM, Long.class, customerId, from, from.plusMonths(1));
        return count == null ? 0 : count;
    }

    private static OffsetDateTime start(YearMonth month) {
        return month.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    private static DatasetStep step(ResultSet row, int rowNumber) throws SQLException {
        return new DatasetStep(
                row.getObject("request_id", UUID.class),
                row.getObject("timestamp", OffsetDateTime.class).toInstant(),
                row.getString("instruction"),
                list(row.getArray("action"), Double[].class),
                list(row.getArray("raw_action"), Double[].class),
                row.getString("unnorm_key"),
                row.getString("model"),
                row.getString("model_version"),
                row.getObject("safety_score", Double.class),
                list(row.getArray("safety_flags"), String[].class),
                row.getString("robot"),
                row.getString("object_key"));
    }

    private static <T> List<T> list(Array array, Class<T[]> type) throws SQLException {
        return array == null ? null : Arrays.asList(type.cast(array.getArray()));
    }
}
