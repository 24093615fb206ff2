package com.vlaapi.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(4), Duration.ofSeconds(30));

    @Test
    void backoffDoublesUpToItsCapAndJittersBetweenHalfAndAll() {
        assertEquals(Duration.ofMillis(250), policy.backoff(1, 0.0));
        assertEquals(Duration.ofMillis(500), policy.backoff(1, 1.0));
        assertEquals(Duration.ofMillis(750), policy.backoff(2, 0.5));
        assertEquals(Duration.ofSeconds(2), policy.backoff(3, 1.0));
        assertEquals(Duration.ofSeconds(4), policy.backoff(4, 1.0));
        assertEquals(Duration.ofSeconds(4), policy.backoff(60, 1.0), "capped, however many attempts");
        assertEquals(Duration.ofSeconds(2), policy.backoff(60, 0.0));
    }

    @Test
    void retryAfterIsWaitedForEvenWhenLongerThanTheBackoff() {
        assertEquals(Optional.of(Duration.ofSeconds(7)), policy.delayBeforeRetry(1, error(429, "rate_limit_exceeded", "7"), 0.3));
    }

    @Test
    void theBackoffWinsOverAShorterRetryAfter() {
        assertEquals(Optional.of(Duration.ofSeconds(2)), policy.delayBeforeRetry(3, error(503, "overloaded_error", "1"), 1.0));
    }

    @Test
    void aRetryAfterBeyondMaxRetryWaitIsNotWaitedFor() {
        assertEquals(Optional.empty(), policy.delayBeforeRetry(1, error(429, "rate_limit_exceeded", "31"), 0.5));
    }

    @Test
    void givesUpAfterMaxRetries() {
        VlaException overloaded = error(503, "overloaded_error", null);
        assertTrue(policy.delayBeforeRetry(3, overloaded, 0.5).isPresent());
        assertEquals(Optional.empty(), policy.delayBeforeRetry(4, overloaded, 0.5));
        assertEquals(Optional.empty(), new RetryPolicy(0, Duration.ZERO, Duration.ZERO, Duration.ZERO)
                .delayBeforeRetry(1, overloaded, 0.5));
    }

    @Test
    void retriesWhatTheApiMarksRetryableAndFailedConnections() {
        for (int status : List.of(408, 409, 429, 500, 502, 503)) {
            assertTrue(RetryPolicy.retryable(error(status, null, null)), "HTTP " + status);
        }
        assertTrue(RetryPolicy.retryable(new VlaConnectionException(new java.net.ConnectException("refused"))));
    }

    @Test
    void neverRetriesTheQuotaClientErrorsOrTimeouts() {
        assertFalse(RetryPolicy.retryable(error(429, "quota_exceeded", "86400")));
        for (int status : List.of(400, 401, 403, 404, 413, 415, 422, 504)) {
            assertFalse(RetryPolicy.retryable(error(status, null, null)), "HTTP " + status);
        }
        assertFalse(RetryPolicy.retryable(new VlaTimeoutException(Duration.ofSeconds(1), null)));
    }

    private static VlaException error(int status, String type, String retryAfter) {
        Map<String, List<String>> headers = retryAfter == null ? Map.of() : Map.of("Retry-After", List.of(retryAfter));
        String body = type == null ? "" : "{\"error\": {\"type\": \"" + type + "\", \"code\": \"" + type
                + "\", \"message\": \"m\", \"request_id\": \"r\"}}";
        return VlaException.fromResponse(status, HttpHeaders.of(headers, (name, value) -> true), body);
    }
}
