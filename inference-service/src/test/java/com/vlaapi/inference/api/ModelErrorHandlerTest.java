package com.vlaapi.inference.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.vlaapi.modelrunner.batching.OverloadedException;
import com.vlaapi.servicecontract.error.ApiError;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** An outcome a healthy test server cannot be made to produce on demand: overload. */
class ModelErrorHandlerTest {

    private final MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/inference");
    private final MockHttpServletResponse response = new MockHttpServletResponse();

    @Test
    void overloadIsA503ThatSaysWhenToRetry() throws Exception {
        new ModelErrorHandler().modelRefused(OverloadedException.queueFull("tabletop-v1", 256), request, response);

        assertEquals(503, response.getStatus());
        assertEquals("1", response.getHeader("Retry-After"));
        JsonNode error = JsonMapper.builder().build().readTree(response.getContentAsString()).get("error");
        assertEquals("overloaded_error", error.get("type").asString());
        assertEquals("overloaded", error.get("code").asString());
        assertEquals(response.getHeader("X-Request-Id"), error.get("request_id").asString());
        assertEquals("overloaded", ((ApiError) request.getAttribute(ApiError.ATTRIBUTE)).code(), "for the request log");
    }
}
