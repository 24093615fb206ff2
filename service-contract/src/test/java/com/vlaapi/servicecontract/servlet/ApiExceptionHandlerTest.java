package com.vlaapi.servicecontract.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.vlaapi.servicecontract.error.ApiError;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** An outcome a healthy service cannot be made to produce on demand: a bug. */
class ApiExceptionHandlerTest {

    private final MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/inference");
    private final MockHttpServletResponse response = new MockHttpServletResponse();

    @Test
    void anUnexpectedFailureIsAGeneric500WithoutInternals() throws Exception {
        new ApiExceptionHandler().unexpected(new IllegalStateException("secret detail at com.vlaapi.Something"),
                request, response);

        assertEquals(500, response.getStatus());
        assertThat(response.getContentType()).startsWith("application/json");
        JsonNode body = JsonMapper.builder().build().readTree(response.getContentAsString());
        assertThat(body.propertyNames()).containsExactly("error");
        JsonNode error = body.get("error");
        assertThat(error.propertyNames()).containsExactly("type", "code", "message", "request_id");
        assertEquals("api_error", error.get("type").asString());
        assertEquals("internal_error", error.get("code").asString());
        assertEquals(ApiError.INTERNAL_ERROR_MESSAGE, error.get("message").asString());
        assertEquals(response.getHeader("X-Request-Id"), error.get("request_id").asString());
        assertThat(response.getContentAsString()).doesNotContain("secret detail", "IllegalStateException");
    }
}
