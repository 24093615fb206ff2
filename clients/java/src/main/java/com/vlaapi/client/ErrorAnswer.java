package com.vlaapi.client;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;

/**
 * An error answer as the exceptions carry it: the API's body {@code {"error": {"type", "code",
 * "message", "request_id"}}} and the headers that matter. A body that is not the API's (a proxy's
 * HTML page) leaves type and code null, and the request id is then the {@code X-Request-Id} header's.
 */
record ErrorAnswer(int status, String type, String code, String message, String requestId, Duration retryAfter,
                   RateLimitInfo rateLimit) {

    /** Enough of a foreign body to recognise it in a log. */
    private static final int QUOTED_BODY_CHARS = 200;

    static ErrorAnswer parse(int status, HttpHeaders headers, String body) {
        Duration retryAfter = headers.firstValue("Retry-After")
                .flatMap(value -> RetryAfter.parse(value, Clock.systemUTC())).orElse(null);
        RateLimitInfo rateLimit = RateLimitInfo.fromHeaders(headers);
        String headerRequestId = headers.firstValue("X-Request-Id").orElse(null);
        JsonNode error = errorNode(body);
        if (error == null) {
            String quoted = body == null || body.isBlank() ? "no body"
                    : body.strip().substring(0, Math.min(body.strip().length(), QUOTED_BODY_CHARS));
            return new ErrorAnswer(status, null, null, "HTTP " + status + " without the API's error body: " + quoted,
                    headerRequestId, retryAfter, rateLimit);
        }
        String requestId = text(error, "request_id");
        return new ErrorAnswer(status, text(error, "type"), text(error, "code"), text(error, "message"),
                requestId != null ? requestId : headerRequestId, retryAfter, rateLimit);
    }

    private static JsonNode errorNode(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode error = Json.MAPPER.readTree(body).get("error");
            return error != null && error.isObject() ? error : null;
        } catch (JacksonException notJson) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
