package com.vlaapi.servicecontract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InferenceChannelFramesTest {

    private static final byte[] BODY = "{\"instruction\":\"pick\\nup\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void aRequestReadsBackWithItsIdsAndItsBodyUntouched() {
        UUID requestId = RequestIds.mint();
        UUID customer = UUID.randomUUID();
        UUID key = UUID.randomUUID();
        InferenceChannelFrames.Request read = InferenceChannelFrames.readRequest(
                InferenceChannelFrames.request(requestId.toString(), customer, key, BODY)).orElseThrow();
        assertEquals(requestId, read.requestId());
        assertEquals(customer, read.customerId());
        assertEquals(key, read.apiKeyId());
        assertArrayEquals(BODY, Arrays.copyOfRange(read.frame(), read.bodyOffset(), read.frame().length));
        assertEquals(BODY.length, read.bodyLength());

        InferenceChannelFrames.Request keyless = InferenceChannelFrames.readRequest(
                InferenceChannelFrames.request(requestId.toString(), customer, null, BODY)).orElseThrow();
        assertNull(keyless.apiKeyId());
    }

    @Test
    void anAnswerReadsBackWithItsStatusAndRetryAfter() {
        UUID requestId = RequestIds.mint();
        InferenceChannelFrames.Answer read = InferenceChannelFrames.readAnswer(
                InferenceChannelFrames.answer(requestId, 422, null, BODY)).orElseThrow();
        assertEquals(requestId.toString(), read.requestId());
        assertEquals(422, read.status());
        assertNull(read.retryAfter());
        assertArrayEquals(BODY, read.body());

        InferenceChannelFrames.Answer retry = InferenceChannelFrames.readAnswer(
                InferenceChannelFrames.answer(requestId, 503, 5, BODY)).orElseThrow();
        assertEquals(503, retry.status());
        assertEquals("5", retry.retryAfter());
        assertArrayEquals(BODY, retry.body());
    }

    @Test
    void framesThatAreNotOursAreRefused() {
        String id = RequestIds.mint().toString();
        String customer = UUID.randomUUID().toString();
        for (String frame : new String[] {"{\"no\":\"header\"}", id + " " + customer + "\n{}", id + " not-a-uuid -\n{}",
                id + " " + customer + " key\n{}", "x".repeat(300) + "\n{}"}) {
            assertTrue(InferenceChannelFrames.readRequest(frame.getBytes(StandardCharsets.US_ASCII)).isEmpty(), frame);
        }
        for (String frame : new String[] {id + "\n{}", id + " 2000\n{}", id + " ok\n{}", id + " 200 extra\n{}",
                id + " 503 5 5\n{}", id + " 503 -1\n{}", id + " 600\n{}", id + " 099\n{}", id + " 20x\n{}", id + " 503 \n{}",
                id + " 503 1234567890\n{}"}) {
            assertTrue(InferenceChannelFrames.readAnswer(frame.getBytes(StandardCharsets.US_ASCII)).isEmpty(), frame);
        }
    }
}
