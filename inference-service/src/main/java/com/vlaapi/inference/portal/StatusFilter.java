package com.vlaapi.inference.portal;

import com.vlaapi.servicecontract.LowerCaseId;
import com.vlaapi.servicecontract.error.ApiException;
import org.springframework.http.HttpStatus;

/** Which of a customer's requests a list holds, by outcome: {@code ok} a 200, {@code error} anything else. */
enum StatusFilter implements LowerCaseId {
    ALL(""),
    OK(" AND status_code = 200"),
    // Literally the predicate of V13's partial index: the planner uses a partial index only for a
    // condition that implies its own.
    ERROR(" AND status_code <> 200");

    private final String condition;

    StatusFilter(String condition) {
        this.condition = condition;
    }

    static StatusFilter of(String id) {
        return LowerCaseId.fromId(StatusFilter.class, id).orElseThrow(() -> new ApiException(HttpStatus.BAD_REQUEST,
                "invalid_status", "status must be 'all', 'ok' or 'error'."));
    }

    /** The SQL condition on {@code inference_logs} that selects these requests, empty for all. */
    String condition() {
        return condition;
    }
}
