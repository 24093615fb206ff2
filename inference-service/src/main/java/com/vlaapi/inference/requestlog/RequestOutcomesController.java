package com.vlaapi.inference.requestlog;

import com.vlaapi.servicecontract.error.ApiException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * How logged requests ended, by request id: the gateway asks about requests whose quota
 * reservation no gateway settled (the gateway that forwarded them died), to count the successful
 * ones. A request not in the answer is not in the database (yet: its row may still be in a
 * journal). Internal: needs the internal token like everything outside /actuator.
 */
@RestController
class RequestOutcomesController {

    /**
     * One primary-key probe per id, like the log store's billable lookup: as {@code request_id =
     * ANY(?)} the planner may scan a partition without statistics yet whole.
     */
    private static final String OUTCOMES = """
            SELECT l.request_id, l.status_code
            FROM unnest(?::uuid[]) AS wanted(request_id),
                 LATERAL (SELECT request_id, status_code FROM inference.inference_logs
                          WHERE request_id = wanted.request_id LIMIT 1) l""";

    static final int MAX_IDS = 1000;

    record OutcomesQuery(List<UUID> requestIds) {
    }

    /** Status code by request id, for the ids the log holds. */
    record Outcomes(Map<UUID, Integer> statusCodes) {
    }

    private final JdbcTemplate jdbc;

    RequestOutcomesController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @PostMapping("/internal/v1/request-outcomes")
    Outcomes outcomes(@RequestBody OutcomesQuery query) {
        if (query == null || query.requestIds() == null || query.requestIds().isEmpty()
                || query.requestIds().size() > MAX_IDS) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_ids",
                    "Send {\"request_ids\": [...]} with 1 to " + MAX_IDS + " request ids.");
        }
        Map<UUID, Integer> statusCodes = new HashMap<>();
        jdbc.query(connection -> {
            var select = connection.prepareStatement(OUTCOMES);
            select.setArray(1, connection.createArrayOf("uuid", query.requestIds().toArray()));
            return select;
        }, rs -> {
            statusCodes.put(rs.getObject(1, UUID.class), rs.getInt(2));
        });
        return new Outcomes(statusCodes);
    }
}
