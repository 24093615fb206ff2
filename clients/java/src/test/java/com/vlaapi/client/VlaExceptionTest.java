package com.vlaapi.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VlaExceptionTest {

    @Test
    void eachErrorTypeHasItsException() {
        Map<String, Class<? extends VlaException>> byType = Map.of(
                "invalid_request_error", InvalidRequestException.class,
                "authentication_error", AuthenticationException.class,
                "permission_error", PermissionException.class,
                "not_found_error", NotFoundException.class,
                "conflict_error", ConflictException.class,
                "rate_limit_exceeded", RateLimitException.class,
                "quota_exceeded", QuotaExceededException.class,
                "api_error", ApiErrorException.class,
                "overloaded_error", OverloadedException.class);
        byType.forEach((type, exception) -> assertInstanceOf(exception, fromBody(418, type), type));
        assertEquals(VlaException.class, fromBody(418, "a_type_from_the_future").getClass());
    }

    @Test
    void carriesTheErrorBodyAndHeaders() {
        VlaException e = VlaException.fromResponse(429, headers(Map.of("Retry-After", "3", "X-Request-Id", "header-id",
                "RateLimit-Policy", "\"burst\";q=60;w=60", "RateLimit", "\"burst\";r=0;t=3")),
                "{\"error\": {\"type\": \"rate_limit_exceeded\", \"code\": \"rate_limit_exceeded\", "
                        + "\"message\": \"More than 60 requests per minute.\", \"request_id\": \"body-id\"}}");
        assertInstanceOf(RateLimitException.class, e);
        assertEquals(429, e.status());
        assertEquals("rate_limit_exceeded", e.type());
        assertEquals("rate_limit_exceeded", e.code());
        assertEquals("More than 60 requests per minute.", e.errorMessage());
        assertEquals("body-id", e.requestId());
        assertEquals(Optional.of(Duration.ofSeconds(3)), e.retryAfter());
        assertEquals(0, e.rateLimit().burst().orElseThrow().remaining());
        assertEquals("rate_limit_exceeded: More than 60 requests per minute. (HTTP 429, request body-id)", e.getMessage());
    }

    @Test
    void aBodyThatIsNotTheApisIsTypedByItsStatus() {
        VlaException e = VlaException.fromResponse(502, headers(Map.of("X-Request-Id", "header-id")),
                "<html><body>502 Bad Gateway</body></html>");
        assertInstanceOf(ApiErrorException.class, e);
        assertNull(e.type());
        assertNull(e.code());
        assertEquals("header-id", e.requestId());
        assertTrue(e.errorMessage().contains("502 Bad Gateway"), e.errorMessage());
        assertInstanceOf(InvalidRequestException.class, VlaException.fromResponse(408, headers(Map.of()), ""));
        assertInstanceOf(OverloadedException.class, VlaException.fromResponse(503, headers(Map.of()), "{\"error\": 1}"));
        assertInstanceOf(RateLimitException.class, VlaException.fromResponse(429, headers(Map.of()), "not json"));
    }

    private static VlaException fromBody(int status, String type) {
        return VlaException.fromResponse(status, headers(Map.of()), "{\"error\": {\"type\": \"" + type
                + "\", \"code\": \"c\", \"message\": \"m\", \"request_id\": \"r\"}}");
    }

    private static HttpHeaders headers(Map<String, String> values) {
        Map<String, List<String>> lists = new java.util.HashMap<>();
        values.forEach((name, value) -> lists.put(name, List.of(value)));
        return HttpHeaders.of(lists, (name, value) -> true);
    }
}
