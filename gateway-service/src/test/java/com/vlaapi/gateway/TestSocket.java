package com.vlaapi.gateway;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test's WebSocket client (the JDK's, which answers pings by itself): what the server sent, in
 * order (a String for a text frame, a byte[] for a binary one), and how it closed.
 */
final class TestSocket implements WebSocket.Listener, AutoCloseable {

    /** How the server closed the session. */
    record Closed(int code, String reason) {
    }

    private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    final WebSocket socket;

    private TestSocket(URI uri, String authorization) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        this.socket = builder.buildAsync(uri, this).join();
    }

    static TestSocket open(int port, String pathAndQuery, String authorization) {
        return new TestSocket(URI.create("ws://127.0.0.1:" + port + pathAndQuery), authorization);
    }

    /** The handshake's refusal: the status and body the gateway answered instead of upgrading. */
    static WebSocketHandshakeException refused(int port, String pathAndQuery, String authorization) {
        try {
            open(port, pathAndQuery, authorization).close();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused;
            }
            throw e;
        }
        throw new AssertionError("the gateway upgraded the connection");
    }

    void sendText(String message) {
        socket.sendText(message, true).join();
    }

    void sendBinary(byte[] message) {
        socket.sendBinary(ByteBuffer.wrap(message), true).join();
    }

    /** The next message, waiting up to 20 s. */
    Object next() throws InterruptedException {
        Object message = messages.poll(20, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no message within 20 s" + (closed.isDone() ? "; closed " + closed.join() : ""));
        }
        return message;
    }

    String nextText() throws InterruptedException {
        Object message = next();
        if (message instanceof String s) {
            return s;
        }
        throw new AssertionError("expected a text frame, got " + ((byte[]) message).length + " binary bytes");
    }

    byte[] nextBinary() throws InterruptedException {
        Object message = next();
        if (message instanceof byte[] b) {
            return b;
        }
        throw new AssertionError("expected a binary frame, got text " + message);
    }

    Closed awaitClose() {
        return closed.orTimeout(20, TimeUnit.SECONDS).join();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            messages.add(text.toString());
            text.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] part = new byte[data.remaining()];
        data.get(part);
        binary.writeBytes(part);
        if (last) {
            messages.add(binary.toByteArray());
            binary.reset();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(e -> null);
        }
        socket.abort();
    }
}
