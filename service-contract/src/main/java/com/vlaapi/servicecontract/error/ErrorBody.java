package com.vlaapi.servicecontract.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one error body on the wire: {@code {"error": {"type", "code", "message", "request_id"}}},
 * plus {@code details} for the few errors that carry data a client acts on (unsafe_action's flags).
 * Serialised here with its own mapper, so no service's JSON settings can change its shape.
 */
public record ErrorBody(Detail error) {

    public record Detail(String type, String code, String message, @JsonProperty("request_id") String requestId,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> details) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static byte[] json(ApiError error, UUID requestId) {
        ErrorBody body = new ErrorBody(new Detail(error.type().id(), error.code(), error.message(), requestId.toString(),
                error.details()));
        return JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    }
}
