package com.vlaapi.inference.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.vlaapi.servicecontract.error.PublicErrorCode;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;

/** The Retry-After an error answer carries, the same over HTTP and the gateway's channel. */
class RetryAfterTest {

    @Test
    void aFullQueueIsRetriedSoonAnUnrecordedAnswerOnceTheLogIsLikelyBackAndTheRestNever() {
        assertEquals(1, RetryAfter.seconds(PublicErrorCode.OVERLOADED.error("queue full")));
        assertEquals(5, RetryAfter.seconds(PublicErrorCode.REQUEST_LOG_UNAVAILABLE.error("log down")));
        assertNull(RetryAfter.seconds(PublicErrorCode.INVALID_BASE64.error("not base64")));
    }

    @Test
    void theHttpAnswerGetsItAsItsHeader() {
        MockHttpServletResponse unrecorded = new MockHttpServletResponse();
        RetryAfter.set(unrecorded, PublicErrorCode.REQUEST_LOG_UNAVAILABLE.error("log down"));
        MockHttpServletResponse refused = new MockHttpServletResponse();
        RetryAfter.set(refused, PublicErrorCode.UNKNOWN_FIELD.error("typo"));

        assertEquals("5", unrecorded.getHeader("Retry-After"));
        assertNull(refused.getHeader("Retry-After"));
    }
}
