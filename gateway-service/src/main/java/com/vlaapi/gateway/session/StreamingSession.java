package com.vlaapi.gateway.session;

import com.vlaapi.gateway.session.Observations.Refused;
import com.vlaapi.gateway.session.Observations.Served;
import com.vlaapi.gateway.session.SessionModels.SessionModel;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import io.micrometer.core.instrument.Counter;
import java.time.Clock;
import java.util.Set;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One {@code /v1/sessions} connection (the protocol: docs/sessions.md). Text frames are JSON,
 * binary frames MessagePack, and each answer goes back in its observation's format. At most one
 * observation is served at a time; while one is, only the newest that arrives waits its turn, and
 * the ones it replaced are dropped and counted (in the next chunk's {@code dropped}, and the metric
 * {@code vla_gateway_sessions_observations_dropped_total}): a robot that sends faster than it reads
 * is served its latest view of the world, not a backlog.
 */
final class StreamingSession extends SessionConnection {

    enum Format { JSON, MSGPACK }

    /** Fields of the session, not of an observation. */
    private static final Set<String> SESSION_FIELDS = Set.of("model", "return");
    /** Fields of inference-service's answer the chunk replaces: its request id, and timings (under server_timing). */
    private static final Set<String> REPLACED_FIELDS = Set.of("latency_ms", "timings_ms", "request_id");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private record Pending(JsonNode id, ObjectNode body, Format format, long arrivedNanos) {
    }

    private final SessionModel model;
    private final ObjectNode metadata;
    private final Format defaultFormat;
    private final Observations observations;
    private final JsonMapper json;
    private final Clock clock;
    private final Counter droppedMetric;
    private boolean inFlight;
    private Pending waiting;
    private long droppedSinceLastChunk;
    private Format lastFormat;

    StreamingSession(WebSocketSession socket, SessionHandshake.Opening opening,
                     SessionProperties properties, SessionModel model, ObjectNode metadata,
                     Format format, Observations observations, JsonMapper json, Clock clock, Counter droppedMetric) {
        super(socket, opening, properties);
        this.model = model;
        this.metadata = metadata;
        this.defaultFormat = format;
        this.lastFormat = format;
        this.observations = observations;
        this.json = json;
        this.clock = clock;
        this.droppedMetric = droppedMetric;
    }

    @Override
    protected void opened() {
        send(encode(metadata, defaultFormat));
    }

    @Override
    protected void received(WebSocketMessage frame) {
        long arrived = System.nanoTime();
        Format format = frame.getType() == WebSocketMessage.Type.TEXT ? Format.JSON : Format.MSGPACK;
        JsonNode message;
        try {
            message = format == Format.JSON ? json.readTree(frame.getPayloadAsText()) : MessagePackTrees.read(bytes(frame));
        } catch (MessagePackTrees.NotMessagePack | RuntimeException e) {
            lastFormat = format;
            close(SessionClose.POLICY_VIOLATION, PublicErrorCode.INVALID_JSON.error(format == Format.JSON
                    ? "A text frame must hold one JSON object." : "A binary frame must hold one MessagePack map."));
            return;
        }
        if (!message.isObject() || !"observation".equals(message.path("type").asString(""))) {
            lastFormat = format;
            close(SessionClose.POLICY_VIOLATION, PublicErrorCode.INVALID_REQUEST_BODY.error(
                    "Every message must be an object with \"type\": \"observation\"."));
            return;
        }
        ObjectNode observation = (ObjectNode) message;
        JsonNode id = observation.remove("id");
        observation.remove("type");
        for (String field : SESSION_FIELDS) {
            if (observation.has(field)) {
                send(encode(error(id, PublicErrorCode.INVALID_FIELD_VALUE.error("'" + field
                        + "' is set for the whole session (the model by ?model= when connecting; chunks are always returned),"
                        + " not per observation."), null, 0), format));
                return;
            }
        }
        observation.put("model", model.id());
        observation.put("return", "chunk");
        if (!observation.has("observation_time")) {
            // Stamped on arrival here, not at inference-service: time spent waiting behind the
            // observation in flight counts against the chunk's deadline.
            observation.put("observation_time", clock.millis() / 1000.0);
        }
        offer(new Pending(id, observation, format, arrived));
    }

    private static byte[] bytes(WebSocketMessage frame) {
        DataBuffer payload = frame.getPayload();
        byte[] bytes = new byte[payload.readableByteCount()];
        payload.read(bytes);
        return bytes;
    }

    private synchronized void offer(Pending observation) {
        if (inFlight) {
            if (waiting != null) {
                droppedSinceLastChunk++;
                droppedMetric.increment();
            }
            waiting = observation;
            return;
        }
        inFlight = true;
        serve(observation);
    }

    private synchronized void next() {
        Pending turn = waiting;
        waiting = null;
        if (turn == null || isClosing()) {
            inFlight = false;
            return;
        }
        serve(turn);
    }

    private synchronized long takeDropped() {
        long dropped = droppedSinceLastChunk;
        droppedSinceLastChunk = 0;
        return dropped;
    }

    private void serve(Pending observation) {
        long turn = System.nanoTime();
        observations.serve(this, observation.body(), eventLoop)
                .doOnNext(result -> {
                    lastFormat = observation.format();
                    double waitedMs = (turn - observation.arrivedNanos()) / 1e6;
                    if (result instanceof Served served) {
                        send(encode(chunk(observation.id(), served, waitedMs), observation.format()));
                    } else {
                        Refused refused = (Refused) result;
                        if (refused.close().isPresent()) {
                            close(refused.close().get(), observation.id(), refused);
                        } else {
                            send(encode(error(observation.id(), refused.error(), refused.requestId(), refused.retryAfterMs()),
                                    observation.format()));
                        }
                    }
                })
                .doFinally(signal -> next())
                .subscribe();
    }

    /** The refusal's message (with its request id and retry time), then the close. */
    private void close(SessionClose why, JsonNode id, Refused refused) {
        send(encode(error(id, refused.error(), refused.requestId(), refused.retryAfterMs()), lastFormat));
        close(why, null);
    }

    private ObjectNode chunk(JsonNode id, Served served, double waitedMs) {
        ObjectNode chunk = NODES.objectNode();
        chunk.put("type", "chunk");
        if (id != null) {
            chunk.set("id", id);
        }
        JsonNode answer = served.answer();
        chunk.put("request_id", served.requestId());
        answer.properties().forEach(field -> {
            if (!REPLACED_FIELDS.contains(field.getKey())) {
                chunk.set(field.getKey(), field.getValue());
            }
        });
        if (!chunk.has("actions") && answer.path("action").has("values")) {
            chunk.putArray("actions").add(answer.path("action").path("values"));
        }
        if (!chunk.has("action_names")) {
            chunk.set("action_names", answer.path("action").path("names"));
        }
        chunk.put("dropped", takeDropped());
        ObjectNode timing = chunk.putObject("server_timing");
        timing.put("gateway_ms", round(served.gatewayMs()));
        timing.put("waited_ms", round(waitedMs));
        timing.put("upstream_ms", round(served.upstreamMs()));
        JsonNode inference = answer.path("latency_ms");
        if (inference.isNumber()) {
            timing.put("inference_ms", inference.doubleValue());
        }
        JsonNode parts = answer.path("timings_ms");
        for (String[] part : new String[][] {{"preprocess", "preprocess_ms"}, {"queue", "queue_ms"}, {"inference", "model_ms"}}) {
            if (parts.path(part[0]).isNumber()) {
                timing.put(part[1], parts.path(part[0]).doubleValue());
            }
        }
        return chunk;
    }

    private static ObjectNode error(JsonNode id, ApiError error, String requestId, long retryAfterMs) {
        ObjectNode message = NODES.objectNode();
        message.put("type", "error");
        if (id != null) {
            message.set("id", id);
        }
        ObjectNode body = message.putObject("error");
        body.put("type", error.type().id());
        body.put("code", error.code());
        body.put("message", error.message());
        if (requestId != null) {
            body.put("request_id", requestId);
        }
        if (retryAfterMs > 0) {
            message.put("retry_after_ms", retryAfterMs);
        }
        return message;
    }

    @Override
    protected WebSocketMessage closingMessage(ApiError error) {
        return encode(error(null, error, null, 0), lastFormat);
    }

    private WebSocketMessage encode(ObjectNode message, Format format) {
        return format == Format.JSON ? socket.textMessage(json.writeValueAsString(message))
                : socket.binaryMessage(buffers -> buffers.wrap(MessagePackTrees.write(message)));
    }

    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }
}
