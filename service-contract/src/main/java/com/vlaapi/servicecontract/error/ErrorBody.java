package com.vlaapi.servicecontract.error;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one error body on the wire: {@code {"error": {"type", "code", "message", "request_id"}}}.
 * Serialised here with its own mapper, so no service's JSON settings can change its shape.
 */
public record ErrorBody(Detail error) {

    public record Detail(String type, String code, String message, @JsonProperty("request_id") String requestId) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static byte[] json(ApiError error, UUID requestId) {
        ErrorBody body = new ErrorBody(new Detail(error.type().id(), error.code(), error.message(), requestId.toString()));
        return JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    }
}
