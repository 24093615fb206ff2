package com.vlaapi.gateway.routing;

import com.vlaapi.gateway.GatewayProperties;
import com.vlaapi.gateway.apikey.ResolvedApiKey;
import com.vlaapi.gateway.errors.Causes;
import com.vlaapi.servicecontract.InferenceChannelFrames;
import com.vlaapi.servicecontract.ServiceHeaders;
import com.vlaapi.servicecontract.settings.InternalTokenProperties;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.ConnectionProvider;

/**
 * The gateway's end of inference-service's channel for {@code POST /v1/inference}
 * ({@link InferenceChannelFrames}): WebSockets, opened when first needed and again after they close,
 * over which requests and session observations travel without an HTTP exchange each.
 * {@code vla.gateway.inference-channel=false} leaves every call to HTTP.
 *
 * <p>There is one channel per instance and gateway event loop, opened from that loop and so run by
 * it (Reactor Netty's client runs a connection on the loop that opened it): a request sent from its
 * client connection's loop is written, answered and handed back without leaving that thread.
 *
 * <p>A request whose channel closes before its answer fails as an HTTP call whose connection was
 * lost does; one the instance did not take because it is stopping fails as a refused connection
 * does (the caller sends it to the next instance). An instance that does not accept the channel (a
 * build without it) is left to HTTP ({@link #send} answers empty) and asked again after
 * {@link #RETRY_UNSUPPORTED_AFTER}. A request not answered within the routes' response timeout
 * ({@code spring.cloud.gateway.server.webflux.httpclient.response-timeout}) fails with a
 * {@link TimeoutException}, as over HTTP; its timer runs on the channel's own loop, which sleeps
 * until its next timer anyway (Reactor's {@code timeout} would take one from a shared scheduler's
 * thread and name the operator chain, per request).
 */
@Component
public class InferenceChannels implements DisposableBean {

    /** inference-service's answer: its status, Retry-After (null for none) and body. */
    public record Answer(int status, String retryAfter, byte[] body, double upstreamMs) {
    }

    private static final Logger log = LoggerFactory.getLogger(InferenceChannels.class);
    static final Duration RETRY_UNSUPPORTED_AFTER = Duration.ofSeconds(30);
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(2);
    /** Answers are chunks and error bodies, a few kB. */
    private static final int MAX_ANSWER_BYTES = 1 << 20;

    private final HttpClient client;
    private final long maxRequestBytes;
    private final boolean enabled;
    /** Null: no limit. */
    private final Duration answerTimeout;
    private final Map<Route, Instance> instances = new ConcurrentHashMap<>();
    /** Per instance that refused the channel: System.nanoTime() until which it is left to HTTP. */
    private final Map<URI, Long> unsupportedUntil = new ConcurrentHashMap<>();

    @Autowired
    public InferenceChannels(InternalTokenProperties token, GatewayProperties gateway, HttpClientProperties routes) {
        this(token.internalToken(), gateway.maxBodyBytes().toBytes(), gateway.inferenceChannel(), routes.getResponseTimeout());
    }

    /**
     * @param maxRequestBytes larger request bodies go over HTTP, where inference-service refuses them
     *                        alone (413) instead of closing the channel all requests share
     * @param enabled         false: {@link #send} always answers empty (HTTP)
     * @param answerTimeout   how long a request waits for its answer; null: as long as the channel lives
     */
    InferenceChannels(String internalToken, long maxRequestBytes, boolean enabled, Duration answerTimeout) {
        this.client = HttpClient.create(ConnectionProvider.newConnection())
                .headers(h -> h.set(ServiceHeaders.INTERNAL_TOKEN, internalToken));
        this.maxRequestBytes = maxRequestBytes;
        this.enabled = enabled;
        this.answerTimeout = answerTimeout;
    }

    /**
     * {@code POST /v1/inference} with {@code body} on {@code instance}'s channel; empty when the
     * instance has no channel or the body is too large for one: the caller uses HTTP then.
     */
    public Mono<Answer> send(URI instance, String requestId, ResolvedApiKey key, byte[] body) {
        return send(instance, requestId, key, body, answerTimeout);
    }

    /**
     * As {@link #send(URI, String, ResolvedApiKey, byte[])}, waiting {@code timeout} for the answer
     * (null: as long as the channel lives) instead of the routes' response timeout.
     */
    public Mono<Answer> send(URI instance, String requestId, ResolvedApiKey key, byte[] body, Duration timeout) {
        if (!enabled || body.length > maxRequestBytes) {
            return Mono.empty();
        }
        Long unsupported = unsupportedUntil.get(instance);
        if (unsupported != null && System.nanoTime() - unsupported < 0) {
            return Mono.empty();
        }
        Instance channel = instances.computeIfAbsent(new Route(instance, ThreadExecutorMap.currentExecutor()), Instance::new);
        byte[] frame = InferenceChannelFrames.request(requestId, key.customerId(), key.keyId(), body);
        return channel.link().flatMap(link -> link.call(requestId, frame, timeout));
    }

    /** Closes every channel; requests still in flight fail. */
    @Override
    public void destroy() {
        instances.values().forEach(Instance::close);
    }

    /** An inference instance, and the event loop its channel runs on (null: a thread that is none). */
    private record Route(URI instance, EventExecutor loop) {
    }

    /** One inference instance's channel from one event loop, as it stands. */
    private final class Instance {

        private final URI instance;
        private final EventExecutor loop;
        private Mono<Link> current;
        private Link link;

        Instance(Route route) {
            this.instance = route.instance();
            this.loop = route.loop();
        }

        /** The open channel, or the one opening. */
        synchronized Mono<Link> link() {
            if (current == null) {
                link = new Link(this);
                current = open(link).cache();
            }
            return current;
        }

        private Mono<Link> open(Link opening) {
            Sinks.One<Link> ready = Sinks.one();
            String scheme = "https".equalsIgnoreCase(instance.getScheme()) ? "wss://" : "ws://";
            URI uri = URI.create(scheme + instance.getAuthority() + InferenceChannelFrames.PATH);
            opening.connection = client.websocket(WebsocketClientSpec.builder().maxFramePayloadLength(MAX_ANSWER_BYTES).build())
                    .uri(uri)
                    .handle((in, out) -> {
                        ready.tryEmitValue(opening);
                        Mono<Void> answers = in.aggregateFrames(MAX_ANSWER_BYTES).receiveFrames()
                                .doOnNext(frame -> opening.answered(ByteBufUtil.getBytes(frame.content())))
                                .doFinally(signal -> opening.finish())
                                .then();
                        Mono<Void> requests = out.sendObject(opening.outgoing.asFlux()
                                .map(bytes -> new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)))).then();
                        return Mono.when(answers, requests);
                    })
                    .subscribe(null, failure -> {
                        opening.closed(failure);
                        ready.tryEmitError(failure);
                    }, () -> opening.closed(null));
            return ready.asMono().timeout(HANDSHAKE_TIMEOUT).onErrorResume(this::unsupported, failure -> {
                opening.close(failure);
                unsupportedUntil.put(instance, System.nanoTime() + RETRY_UNSUPPORTED_AFTER.toNanos());
                log.warn("inference-service at {} does not take the inference channel ({}); requests go over HTTP"
                        + " to it, and the channel is tried again in {}", instance, failure.toString(), RETRY_UNSUPPORTED_AFTER);
                return Mono.empty();
            });
        }

        private boolean unsupported(Throwable failure) {
            return Causes.has(failure, WebSocketClientHandshakeException.class) || failure instanceof TimeoutException;
        }

        /** The link closed, never opened or takes nothing more: the next request opens another. */
        synchronized void forget(Link gone) {
            if (link == gone) {
                link = null;
                current = null;
            }
        }

        synchronized void close() {
            if (link != null) {
                link.close(new IOException("the gateway is stopping"));
            }
        }
    }

    /** One open WebSocket and the requests waiting for their answers on it. */
    private static final class Link {

        private record Waiting(Sinks.One<Answer> answer, long sentNanos) {
        }

        private final Instance owner;
        private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
        private final Sinks.Many<byte[]> outgoing = Sinks.many().unicast().onBackpressureBuffer();
        private volatile Throwable closed;
        private volatile Disposable connection;

        Link(Instance owner) {
            this.owner = owner;
        }

        Mono<Answer> call(String requestId, byte[] frame, Duration timeout) {
            return Mono.defer(() -> {
                Sinks.One<Answer> answer = Sinks.one();
                waiting.put(requestId, new Waiting(answer, System.nanoTime()));
                Throwable failure = closed;
                boolean sent;
                synchronized (this) {
                    sent = failure == null && outgoing.tryEmitNext(frame).isSuccess();
                }
                if (!sent) {
                    waiting.remove(requestId);
                    return Mono.error(lost(failure));
                }
                if (timeout == null) {
                    return answer.asMono().doFinally(signal -> waiting.remove(requestId));
                }
                if (owner.loop == null) {
                    return answer.asMono().timeout(timeout).doFinally(signal -> waiting.remove(requestId));
                }
                ScheduledFuture<?> deadline = owner.loop.schedule(() -> {
                    if (waiting.remove(requestId) != null) {
                        answer.tryEmitError(new TimeoutException("inference-service at " + owner.instance
                                + " did not answer within " + timeout.toMillis() + " ms"));
                    }
                }, timeout.toNanos(), TimeUnit.NANOSECONDS);
                return answer.asMono().doFinally(signal -> {
                    waiting.remove(requestId);
                    deadline.cancel(false);
                });
            });
        }

        /** No more requests: the connection closes once the requests sent are written. */
        synchronized void finish() {
            outgoing.tryEmitComplete();
        }

        void answered(byte[] frame) {
            long now = System.nanoTime();
            InferenceChannelFrames.readAnswer(frame).ifPresentOrElse(answer -> {
                Waiting request = waiting.remove(answer.requestId());
                if (answer.status() == InferenceChannelFrames.NOT_TAKEN) {
                    // The instance is stopping: this channel takes nothing more, and the request goes elsewhere.
                    owner.forget(this);
                    if (request != null) {
                        request.answer().tryEmitError(new ConnectException("inference-service at " + owner.instance
                                + " is stopping and did not take the request"));
                    }
                } else if (request != null) {
                    request.answer().tryEmitValue(new Answer(answer.status(), answer.retryAfter(), answer.body(),
                            (now - request.sentNanos()) / 1e6));
                }
            }, () -> log.warn("inference channel: an answer frame that is not one ({} bytes) ignored", frame.length));
        }

        /** Closes the connection from this side. */
        void close(Throwable why) {
            Disposable open = connection;
            if (open != null) {
                open.dispose();
            }
            closed(why);
        }

        void closed(Throwable failure) {
            closed = failure != null ? failure : new IOException("the channel closed");
            owner.forget(this);
            IOException lost = lost(closed);
            waiting.values().forEach(request -> request.answer().tryEmitError(lost));
            waiting.clear();
        }

        private static IOException lost(Throwable cause) {
            return new IOException("the channel to inference-service closed before answering", cause);
        }
    }
}
