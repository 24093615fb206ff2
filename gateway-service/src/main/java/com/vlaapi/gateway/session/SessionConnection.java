package com.vlaapi.gateway.session;

import com.vlaapi.gateway.apikey.ResolvedApiKey;
import com.vlaapi.gateway.errors.Causes;
import com.vlaapi.servicecontract.error.ApiError;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * What both session protocols share: one outgoing queue (a WebSocket session is sent to by one
 * subscriber), heartbeats, and closing with a code once what was queued before has left. A subclass
 * reads the frames and says what to send.
 */
public abstract class SessionConnection implements SessionRegistry.Member {

    private static final Logger log = LoggerFactory.getLogger(SessionConnection.class);

    protected final WebSocketSession socket;
    /** Where work continues after Redis's decisions: the connection's event loop. */
    protected final Executor eventLoop;
    private final String keyHash;
    private final Runnable dropConnection;
    private volatile ResolvedApiKey key;
    private final SessionProperties properties;
    /** Bounded: a client that asks and does not read must not make the gateway hold its answers without end. */
    private final Sinks.Many<WebSocketMessage> outgoing;
    private final Sinks.Empty<Void> ended = Sinks.empty();
    private final SlotAhead slotAhead = new SlotAhead();
    private volatile long lastHeardNanos = System.nanoTime();
    private CloseStatus closing;
    private boolean outgoingDone;

    protected SessionConnection(WebSocketSession socket, SessionHandshake.Opening opening, SessionProperties properties) {
        this.socket = socket;
        this.eventLoop = opening.eventLoop();
        this.key = opening.key();
        this.keyHash = opening.keyHash();
        this.dropConnection = opening.dropConnection();
        this.properties = properties;
        this.outgoing = Sinks.many().unicast().onBackpressureBuffer(new ArrayBlockingQueue<>(properties.maxUnsentMessages()));
    }

    /** The first message, sent before any frame is read. */
    protected abstract void opened();

    /** A text or binary frame of the client's. */
    protected abstract void received(WebSocketMessage frame);

    /** The message telling the client why the session ends, sent before the close frame. */
    protected abstract WebSocketMessage closingMessage(ApiError error);

    /** Runs the session until both sides are done. */
    public Mono<Void> run() {
        Disposable heartbeat = Flux.interval(properties.heartbeatInterval()).subscribe(tick -> heartbeat());
        opened();
        Mono<Void> inbound = socket.receive()
                .doOnNext(frame -> {
                    lastHeardNanos = System.nanoTime();
                    WebSocketMessage.Type type = frame.getType();
                    if ((type == WebSocketMessage.Type.TEXT || type == WebSocketMessage.Type.BINARY) && !isClosing()) {
                        received(frame);
                    }
                })
                .then()
                .onErrorResume(e -> {
                    if (Causes.has(e, TooLongFrameException.class) || Causes.has(e, CorruptedWebSocketFrameException.class)) {
                        close(SessionClose.MESSAGE_TOO_BIG, null);
                    } else {
                        log.warn("session frames failed: {}", e.toString());
                        close(SessionClose.INTERNAL_ERROR, null);
                    }
                    return Mono.empty();
                })
                .doFinally(signal -> finishSending());
        Mono<Void> outbound = socket.send(outgoing.asFlux())
                .then(Mono.defer(() -> {
                    CloseStatus status = closeStatus();
                    return status == null ? Mono.empty() : socket.close(status);
                }))
                .onErrorResume(e -> Mono.empty());
        return Mono.when(inbound, outbound).doFinally(signal -> {
            heartbeat.dispose();
            slotAhead.release();
            ended.tryEmitEmpty();
        });
    }

    private void heartbeat() {
        if (System.nanoTime() - lastHeardNanos > properties.heartbeatTimeout().toNanos()) {
            close(SessionClose.HEARTBEAT_TIMEOUT, null);
        } else {
            send(socket.pingMessage(buffers -> buffers.allocateBuffer(0)));
        }
    }

    /**
     * Queues {@code message}; dropped once the session is closing. When the client has left
     * {@code max-unsent-messages} unread behind what the connection itself buffers, it is not
     * reading: the connection is dropped, as a close frame would only queue behind the rest.
     */
    protected synchronized void send(WebSocketMessage message) {
        Sinks.EmitResult queued = outgoingDone ? Sinks.EmitResult.FAIL_TERMINATED : outgoing.tryEmitNext(message);
        if (queued.isFailure()) {
            DataBufferUtils.release(message.getPayload());
        }
        if (queued == Sinks.EmitResult.FAIL_OVERFLOW) {
            log.warn("a session of key {} left {} messages unread; dropping its connection", key.keyId(),
                    properties.maxUnsentMessages());
            finishSending();
            dropConnection.run();
        }
    }

    @Override
    public synchronized void close(SessionClose why, ApiError error) {
        if (closing != null || outgoingDone) {
            return;
        }
        if (error != null) {
            send(closingMessage(error));
        }
        closing = why.status();
        finishSending();
    }

    private synchronized void finishSending() {
        outgoingDone = true;
        outgoing.tryEmitComplete();
    }

    protected synchronized boolean isClosing() {
        return closing != null || outgoingDone;
    }

    private synchronized CloseStatus closeStatus() {
        return closing;
    }

    @Override
    public Mono<Void> closed() {
        return ended.asMono();
    }

    @Override
    public String keyHash() {
        return keyHash;
    }

    @Override
    public ResolvedApiKey key() {
        return key;
    }

    @Override
    public void keyChanged(ResolvedApiKey latest) {
        key = latest;
    }

    @Override
    public SlotAhead slotAhead() {
        return slotAhead;
    }
}
