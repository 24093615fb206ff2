package com.vlaapi.inference.api;

import com.vlaapi.inference.InferenceProperties;
import com.vlaapi.inference.requestlog.RequestLogUnavailableException;
import com.vlaapi.inference.security.Caller;
import com.vlaapi.modelrunner.ModelRunnerException;
import com.vlaapi.servicecontract.InferenceChannelFrames;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.ApiException;
import com.vlaapi.servicecontract.error.ErrorBody;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import com.vlaapi.servicecontract.servlet.RequestBodyErrors;
import com.vlaapi.servicecontract.servlet.RequestIdFilter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.BinaryWebSocketHandler;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's channel for {@code POST /v1/inference} ({@link InferenceChannelFrames}): many requests at
 * once over one WebSocket, each served by {@link Inferences} and completed by {@link
 * RequestCompletion} exactly as a {@code POST /v1/inference} is (the same checks, request-log row,
 * metrics and access-log line), without an HTTP exchange per observation. The connection's
 * authentication is the upgrade's: the internal token, checked by the service's trust boundary
 * like every internal path; each request names the customer and key the gateway authenticated.
 * On shutdown, requests already taken are answered before the channel closes (1001); those that
 * arrive meanwhile are not taken ({@link InferenceChannelFrames#NOT_TAKEN}), and the gateway sends
 * them, and the next ones, to another instance.
 */
@Component
class InferenceChannel extends BinaryWebSocketHandler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InferenceChannel.class);
    private static final String ACCESS_LOG_NAME = "POST /v1/inference (channel)";
    /** How long an answer may wait for a gateway that does not read, and how much may wait; then the channel is closed. */
    private static final int SEND_TIME_LIMIT_MS = 10_000;
    private static final int SEND_BUFFER_LIMIT_BYTES = 64 << 20;
    /** Room for a frame's header line on top of the largest body. */
    private static final int HEADER_ROOM_BYTES = 256;

    private final Inferences inferences;
    private final RequestCompletion completion;
    private final JsonMapper json;
    private final Clock clock;
    private final InferenceChannelProperties properties;
    private final long maxFrameBytes;
    private final Map<String, WebSocketSession> open = new ConcurrentHashMap<>();
    /** Per channel, the parts of a frame that has not arrived whole yet. */
    private final Map<String, ByteArrayOutputStream> gathering = new ConcurrentHashMap<>();
    private volatile ThreadPoolExecutor workers;

    InferenceChannel(Inferences inferences, RequestCompletion completion, JsonMapper json, Clock clock,
                     InferenceChannelProperties properties, InferenceProperties inference) {
        this.inferences = inferences;
        this.completion = completion;
        this.json = json;
        this.clock = clock;
        this.properties = properties;
        this.maxFrameBytes = inference.maxBodyBytes().toBytes() + HEADER_ROOM_BYTES;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        open.put(session.getId(), new ConcurrentWebSocketSessionDecorator(session, SEND_TIME_LIMIT_MS, SEND_BUFFER_LIMIT_BYTES));
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        open.remove(session.getId());
        gathering.remove(session.getId());
    }

    /** Frames arrive in parts of Tomcat's small buffer ({@link InferenceChannelConfiguration}) and are gathered here. */
    @Override
    public boolean supportsPartialMessages() {
        return true;
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) throws IOException {
        long arrivedNanos = System.nanoTime();
        Instant arrivedAt = clock.instant();
        byte[] frame = gathered(session, message);
        if (frame == null) {
            return;
        }
        WebSocketSession channel = open.get(session.getId());
        InferenceChannelFrames.Request request = InferenceChannelFrames.readRequest(frame).orElse(null);
        if (request == null || channel == null) {
            session.close(CloseStatus.POLICY_VIOLATION.withReason("not a request frame of the inference channel"));
            return;
        }
        RequestContext context = new RequestContext(request.requestId(), arrivedAt, arrivedNanos);
        ThreadPoolExecutor pool = workers;
        try {
            if (pool == null) {
                throw new RejectedExecutionException("stopping");
            }
            pool.execute(() -> serve(channel, request, context));
        } catch (RejectedExecutionException refused) {
            if (pool == null || pool.isShutdown()) {
                send(channel, request, InferenceChannelFrames.NOT_TAKEN, null, ErrorBody.json(PublicErrorCode.UPSTREAM_UNAVAILABLE
                        .error("This inference instance is stopping; send the request to another."), request.requestId()));
            } else {
                answer(channel, request, context, new InferenceExchange(), PublicErrorCode.OVERLOADED.error(
                        "Too many requests are waiting on this inference instance; retry in a second."));
            }
        }
    }

    /**
     * The whole frame once its last part is in; null while parts are missing, or when the frame grew
     * past the cap (a request body's limit and its header line), which closes the channel (1009).
     * Tomcat hands one channel's parts over in order, one at a time.
     */
    private byte[] gathered(WebSocketSession session, BinaryMessage part) throws IOException {
        ByteBuffer payload = part.getPayload();
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        ByteArrayOutputStream earlier = gathering.get(session.getId());
        if (earlier == null && part.isLast()) {
            return bytes;
        }
        ByteArrayOutputStream parts = earlier != null ? earlier : new ByteArrayOutputStream();
        if ((long) parts.size() + bytes.length > maxFrameBytes) {
            gathering.remove(session.getId());
            session.close(CloseStatus.TOO_BIG_TO_PROCESS.withReason("a frame of the inference channel over "
                    + maxFrameBytes + " bytes"));
            return null;
        }
        parts.writeBytes(bytes);
        if (!part.isLast()) {
            gathering.put(session.getId(), parts);
            return null;
        }
        gathering.remove(session.getId());
        return parts.toByteArray();
    }

    private void serve(WebSocketSession channel, InferenceChannelFrames.Request request, RequestContext context) {
        MDC.put(RequestIdFilter.MDC_KEY, request.requestId().toString());
        InferenceExchange exchange = new InferenceExchange();
        try {
            InferenceRequestBody body = json.readValue(request.frame(), request.bodyOffset(), request.bodyLength(),
                    InferenceRequestBody.class);
            if (body == null) {
                throw new ApiException(PublicErrorCode.INVALID_REQUEST_BODY.error("The request body must be one JSON object."));
            }
            exchange.received(body);
            String primary = CameraImages.primary(body);
            InferenceResponse answer = inferences.serve(body, () -> Base64Image.decode(primary), context, exchange,
                    caller(request));
            send(channel, request, 200, null, json.writeValueAsBytes(answer));
            completion.completedOverChannel(ACCESS_LOG_NAME, context, caller(request), exchange, 200, null);
        } catch (RuntimeException e) {
            answer(channel, request, context, exchange, errorOf(e));
        } finally {
            MDC.remove(RequestIdFilter.MDC_KEY);
        }
    }

    private void answer(WebSocketSession channel, InferenceChannelFrames.Request request, RequestContext context,
                        InferenceExchange exchange, ApiError error) {
        send(channel, request, error.status().value(), RetryAfter.seconds(error), ErrorBody.json(error, request.requestId()));
        completion.completedOverChannel(ACCESS_LOG_NAME, context, caller(request), exchange, error.status().value(), error.code());
    }

    private static Caller caller(InferenceChannelFrames.Request request) {
        return new Caller(request.customerId(), request.apiKeyId());
    }

    /** The error {@code POST /v1/inference} answers for the same failure. */
    private static ApiError errorOf(RuntimeException e) {
        if (e instanceof ApiException refused) {
            return refused.error();
        }
        if (e instanceof JacksonException unreadable) {
            return RequestBodyErrors.describe(unreadable);
        }
        if (e instanceof ModelRunnerException model) {
            return ModelErrorHandler.error(model);
        }
        if (e instanceof RequestLogUnavailableException unrecorded) {
            return Inferences.unrecorded(unrecorded).error();
        }
        log.error("unexpected failure serving a channel request", e);
        return ApiError.internal();
    }

    private static void send(WebSocketSession channel, InferenceChannelFrames.Request request, int status,
                             Integer retryAfter, byte[] body) {
        try {
            channel.sendMessage(new BinaryMessage(InferenceChannelFrames.answer(request.requestId(), status, retryAfter, body)));
        } catch (IOException | RuntimeException e) {
            // The gateway answers its client from its side of the lost channel; a 200 is recorded already.
            log.warn("cannot send the answer ({}) of request {} on the inference channel: {}", status,
                    request.requestId(), e.toString());
        }
    }

    @Override
    public void start() {
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(properties.workers(), properties.workers(), 60, TimeUnit.SECONDS,
                properties.maxQueued() == 0 ? new SynchronousQueue<>()
                        : new LinkedBlockingQueue<>(properties.maxQueued()),
                task -> {
                    Thread thread = new Thread(task, "inference-channel-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        workers = pool;
    }

    /** Requests taken are answered (within the grace), then each channel closes with 1001. */
    @Override
    public void stop() {
        ThreadPoolExecutor pool = stopTaking();
        if (pool != null) {
            try {
                if (!pool.awaitTermination(properties.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("inference channel: {} requests still in flight after {}; closing anyway",
                            pool.getActiveCount() + pool.getQueue().size(), properties.shutdownGrace());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (WebSocketSession channel : open.values()) {
            try {
                channel.close(CloseStatus.GOING_AWAY);
            } catch (IOException e) {
                log.debug("closing an inference channel: {}", e.toString());
            }
        }
    }

    /** From now on no request is taken ({@link InferenceChannelFrames#NOT_TAKEN}); @return the pool finishing those taken */
    ThreadPoolExecutor stopTaking() {
        ThreadPoolExecutor pool = workers;
        workers = null;
        if (pool != null) {
            pool.shutdown();
        }
        return pool;
    }

    @Override
    public boolean isRunning() {
        return workers != null;
    }

    /** Stops before the web server's graceful shutdown, while the model and the request log still run. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 512;
    }
}
