package com.vlaapi.servicecontract.metrics;

import com.vlaapi.servicecontract.error.ApiError;
import io.micrometer.common.KeyValue;

/**
 * The {@code error_code} label every service adds to {@code http_server_requests}: the code of the
 * error body it answered ({@link ApiError#code()}, from the API's fixed list), or {@code none}.
 * Dashboards count errors by it; an error is counted by the service that wrote it.
 */
public final class ErrorCodeTag {

    public static final String KEY = "error_code";
    public static final String NONE = "none";

    private ErrorCodeTag() {
    }

    /** The label's value for what a service keeps under {@link ApiError#ATTRIBUTE} (may be null). */
    public static String valueOf(Object apiError) {
        return apiError instanceof ApiError error ? error.code() : NONE;
    }

    static KeyValue of(Object apiError) {
        return KeyValue.of(KEY, valueOf(apiError));
    }
}
