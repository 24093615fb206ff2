package com.vlaapi.bench;

import java.util.Map;

/** A {@code /v1/sessions} WebSocket as the benchmark's round trip uses it, whichever client speaks it. */
interface SessionClient extends AutoCloseable {

    /** A message from the gateway, decoded, and when it arrived ({@link System#nanoTime()}). */
    record Received(Map<String, Object> message, long arrivedNanos) {
    }

    void send(byte[] frame);

    /** The next message from the gateway, decoded, with when it arrived. */
    Received next() throws InterruptedException;

    @Override
    void close();

}
