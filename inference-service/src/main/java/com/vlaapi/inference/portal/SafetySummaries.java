package com.vlaapi.inference.portal;

import com.vlaapi.inference.safety.SafetyFlag;
import java.util.Locale;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * A customer's safety summary over its last {@code vla.inference.portal.safety-summary-requests}
 * requests: of those whose action was reviewed (an error has none to review), how many were
 * clipped or out of distribution. Bounded by a count, not a period: a period holds whatever the
 * customer sent in it (the last 30 days of a customer with a million rows in two months: half a
 * million rows, 170 to 420 ms in PortalQueriesAtScaleTest), while the newest N are read backwards
 * through the {@code (customer_id, "timestamp")} index and cost the same at any volume (10,000: 4
 * to 10 ms).
 */
@Repository
class SafetySummaries {

    /** Parameters: the two flags, customer, window. */
    static final String LAST_REQUESTS = """
            SELECT count(safety_flags) AS reviewed,
                   count(*) FILTER (WHERE ? = ANY (safety_flags)) AS clipped,
                   count(*) FILTER (WHERE ? = ANY (safety_flags)) AS out_of_distribution
            FROM (SELECT safety_flags FROM inference.inference_logs WHERE customer_id = ?
                  ORDER BY "timestamp" DESC LIMIT ?) newest""";

    private final JdbcTemplate jdbc;
    private final int windowRequests;
    /** As the portal shows it: "Requests reviewed (last 10,000 requests)". */
    private final String window;

    SafetySummaries(JdbcTemplate jdbc, PortalProperties properties) {
        this.jdbc = jdbc;
        this.windowRequests = properties.safetySummaryRequests();
        this.window = String.format(Locale.ROOT, "last %,d requests", windowRequests);
    }

    SafetySummary of(UUID customerId) {
        return jdbc.queryForObject(LAST_REQUESTS, (row, n) -> SafetySummary.of(window,
                        row.getLong("reviewed"), row.getLong("clipped"), row.getLong("out_of_distribution")),
                SafetyFlag.CLIPPED.id(), SafetyFlag.OUT_OF_DISTRIBUTION.id(), customerId, windowRequests);
    }
}
