package com.vlaapi.customer.internal;

import com.vlaapi.servicecontract.error.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;

/** Body of POST /internal/v1/api-keys/last-used: when the gateway last saw each key. */
record LastUsedReport(List<LastUse> lastUsed) {

    record LastUse(UUID keyId, Instant at) {
    }

    static final int MAX_ENTRIES = 10_000;
    // Gateway clocks drift a little; a time further ahead is a bug, and would stick as the maximum.
    private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(1);

    List<LastUse> validate(Instant now) {
        if (lastUsed == null) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "missing_field", "last_used is required.");
        }
        if (lastUsed.size() > MAX_ENTRIES) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "too_many_entries",
                    "last_used may hold at most " + MAX_ENTRIES + " entries; send the rest in another request.");
        }
        Instant latestAccepted = now.plus(MAX_CLOCK_SKEW);
        for (int i = 0; i < lastUsed.size(); i++) {
            LastUse use = lastUsed.get(i);
            if (use == null || use.keyId() == null || use.at() == null) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "missing_field",
                        "last_used[" + i + "] needs key_id and at.");
            }
            if (use.at().isAfter(latestAccepted)) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_last_used_at",
                        "last_used[" + i + "].at is in the future: " + use.at() + " is after " + latestAccepted + ".");
            }
        }
        return lastUsed;
    }
}
