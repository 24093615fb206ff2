package com.vlaapi.bench;

/** A {@code /v1/sessions} WebSocket as the benchmark's round trip uses it, whichever client speaks it. */
interface SessionClient extends AutoCloseable {

    void send(byte[] frame);

    /** The next message from the gateway, decoded, with when it arrived. */
    SessionSocket.Received next() throws InterruptedException;

    @Override
    void close();

}
