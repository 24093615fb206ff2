package com.vlaapi.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One {@code /v1/sessions} WebSocket of the benchmark: sends MessagePack observations, hands each
 * message the gateway sends (decoded, with the nanoTime it arrived) to a consumer, or queues it for
 * {@link #next}.
 */
final class SessionSocket implements WebSocket.Listener, SessionClient {

    private final BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
    private final Consumer<Received> consumer;
    private final WebSocket socket;
    private ByteBuffer partial = ByteBuffer.allocate(0);

    private SessionSocket(HttpClient http, URI url, String apiKey, Consumer<Received> consumer) {
        this.consumer = consumer;
        this.socket = http.newWebSocketBuilder().header("Authorization", "Bearer " + apiKey)
                .connectTimeout(Duration.ofSeconds(10)).buildAsync(url, this).join();
    }

    /** A session whose messages are read with {@link #next}. */
    static SessionSocket open(HttpClient http, URI url, String apiKey) {
        return new SessionSocket(http, url, apiKey, null);
    }

    /** A session whose messages go to {@code consumer}, on the client's thread. */
    static SessionSocket open(HttpClient http, URI url, String apiKey, Consumer<Received> consumer) {
        return new SessionSocket(http, url, apiKey, consumer);
    }

    @Override
    public void send(byte[] frame) {
        socket.sendBinary(ByteBuffer.wrap(frame), true).join();
    }

    @Override
    public Received next() throws InterruptedException {
        Received received = inbox.poll(30, TimeUnit.SECONDS);
        if (received == null) {
            throw new IllegalStateException("no message from the gateway within 30 s");
        }
        return received;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        long arrived = System.nanoTime();
        ByteBuffer joined = ByteBuffer.allocate(partial.remaining() + data.remaining()).put(partial).put(data).flip();
        if (last) {
            partial = ByteBuffer.allocate(0);
            deliver(decode(joined), arrived);
        } else {
            partial = joined;
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        throw new IllegalStateException("the benchmark speaks MessagePack; the gateway answered text: " + data);
    }

    private void deliver(Map<String, Object> message, long arrived) {
        Received received = new Received(message, arrived);
        if (consumer != null) {
            consumer.accept(received);
        } else {
            inbox.add(received);
        }
    }

    private static Map<String, Object> decode(ByteBuffer frame) {
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        return MessagePackValues.unpackMap(bytes);
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS)
                .exceptionally(e -> null).join();
    }

}
