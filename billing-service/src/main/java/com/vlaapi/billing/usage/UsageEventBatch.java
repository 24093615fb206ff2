package com.vlaapi.billing.usage;

import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.ApiException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;

/** The body of {@code POST /internal/v1/usage-events}: {@code {"events": [...]}}. */
record UsageEventBatch(List<UsageEvent> events) {

    /** Every event must name its request, customer and time: a partial event cannot be billed. */
    List<UsageEvent> validate(int maxBatchSize) {
        if (events == null) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "missing_events",
                    "events is required: a list of usage events.");
        }
        if (events.size() > maxBatchSize) {
            throw new ApiException(new ApiError(HttpStatus.CONTENT_TOO_LARGE, "too_many_events",
                    "At most " + maxBatchSize + " events per request, got " + events.size() + "."));
        }
        List<UsageEvent> valid = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            UsageEvent event = events.get(i);
            String at = "events[" + i + "]";
            if (event == null) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_event", at + " must be an object.");
            }
            require(event.requestId(), at + ".request_id");
            require(event.customerId(), at + ".customer_id");
            require(event.servedAt(), at + ".served_at");
            if (event.model() != null && event.model().length() > 200) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_model",
                        at + ".model is longer than 200 characters.");
            }
            valid.add(event);
        }
        return valid;
    }

    private static void require(Object value, String field) {
        if (value == null) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "missing_field", field + " is required.");
        }
    }
}
