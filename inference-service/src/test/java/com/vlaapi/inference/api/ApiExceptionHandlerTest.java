package com.vlaapi.inference.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.vlaapi.modelrunner.batching.OverloadedException;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The two outcomes a healthy test server cannot be made to produce on demand: overload and a bug. */
class ApiExceptionHandlerTest {

    private final JsonMapper json = apiJson();
    private final ApiExceptionHandler handler = new ApiExceptionHandler(new ErrorResponseWriter(json));
    private final UUID requestId = UUID.randomUUID();
    private final MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/inference");
    private final MockHttpServletResponse response = new MockHttpServletResponse();

    ApiExceptionHandlerTest() {
        request.setAttribute(RequestContext.ATTRIBUTE, new RequestContext(requestId, Instant.parse("2026-06-15T12:00:00Z"), System.nanoTime()));
    }

    private static JsonMapper apiJson() {
        JsonMapper.Builder builder = JsonMapper.builder();
        new JsonConfiguration().apiJson().customize(builder);
        return builder.build();
    }

    @Test
    void overloadIsA503ThatSaysWhenToRetry() throws Exception {
        handler.modelRefused(new OverloadedException("tabletop-v1", 256), request, response);

        assertEquals(503, response.getStatus());
        assertEquals("1", response.getHeader("Retry-After"));
        JsonNode error = json.readTree(response.getContentAsString()).get("error");
        assertEquals("overloaded_error", error.get("type").asString());
        assertEquals("overloaded", error.get("code").asString());
        assertEquals(requestId.toString(), error.get("request_id").asString());
    }

    @Test
    void anUnexpectedFailureIsAGeneric500WithoutInternals() throws Exception {
        handler.unexpected(new IllegalStateException("secret detail at com.vlaapi.Something"), request, response);

        assertEquals(500, response.getStatus());
        assertThat(response.getContentType()).startsWith("application/json");
        JsonNode error = json.readTree(response.getContentAsString()).get("error");
        assertEquals("api_error", error.get("type").asString());
        assertEquals("internal_error", error.get("code").asString());
        assertThat(response.getContentAsString()).doesNotContain("secret detail", "IllegalStateException");
        assertEquals("internal_error", ((ApiError) request.getAttribute(ApiError.ATTRIBUTE)).code());
    }
}
