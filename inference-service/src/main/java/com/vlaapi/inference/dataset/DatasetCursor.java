package com.vlaapi.inference.dataset;

import com.vlaapi.servicecontract.error.ApiException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.HttpStatus;

/**
 * Where a page of the dataset ends: the last step's arrival and request id, the keyset the next page
 * starts after. Sent as {@code <timestamp>_<request_id>}; the timestamp keeps PostgreSQL's
 * microseconds, so no two steps of one instant are skipped or repeated.
 */
record DatasetCursor(Instant timestamp, UUID requestId) {

    static DatasetCursor parse(String value) {
        int separator = value.lastIndexOf('_');
        try {
            if (separator < 0) {
                throw new IllegalArgumentException("no separator");
            }
            return new DatasetCursor(Instant.parse(value.substring(0, separator)),
                    UUID.fromString(value.substring(separator + 1)));
        } catch (DateTimeException | IllegalArgumentException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_after",
                    "after must be a previous page's next_after, passed back unchanged.");
        }
    }

    @Override
    public String toString() {
        return timestamp + "_" + requestId;
    }
}
