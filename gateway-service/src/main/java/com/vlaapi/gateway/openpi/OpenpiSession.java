package com.vlaapi.gateway.openpi;

import com.vlaapi.gateway.session.MessagePackTrees;
import com.vlaapi.gateway.session.Observations;
import com.vlaapi.gateway.session.Observations.Refused;
import com.vlaapi.gateway.session.Observations.Served;
import com.vlaapi.gateway.session.SessionClose;
import com.vlaapi.gateway.session.SessionConnection;
import com.vlaapi.gateway.session.SessionHandshake;
import com.vlaapi.gateway.session.SessionProperties;
import com.vlaapi.servicecontract.RequestIds;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.ErrorBody;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One {@code /v1/openpi} connection, speaking openpi's policy-server protocol
 * (openpi_client.websocket_client_policy): the metadata map first, then for each binary
 * msgpack_numpy observation one binary answer with {@code actions} (an array of chunk length x
 * action dimensions) and {@code server_timing}. Like openpi's server it answers in order, and a
 * failed observation gets a text frame (the error) and the close; the close code says why (1011 for
 * the observation's own errors, as openpi's; the table of docs/sessions.md for the rest).
 */
final class OpenpiSession extends SessionConnection {

    static final String IMAGE = "observation/image";
    static final String WRIST_IMAGE = "observation/wrist_image";
    static final String STATE = "observation/state";
    static final String PROMPT = "prompt";
    /** openpi's clients wait for each answer; more than this many queued is not one of them. */
    private static final int MAX_QUEUED = 8;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private record Queued(ObjectNode body, long arrivedNanos) {
    }

    private final SessionHandshake.Opening opening;
    private final Observations observations;
    private final Clock clock;
    private final Deque<Queued> queue = new ArrayDeque<>();
    private boolean inFlight;
    /** openpi's prev_total_ms: the previous observation's time from its frame to its answer. */
    private Double previousTotalMs;

    OpenpiSession(WebSocketSession socket, SessionHandshake.Opening opening, SessionProperties properties,
                  Observations observations, Clock clock) {
        super(socket, opening, properties);
        this.opening = opening;
        this.observations = observations;
        this.clock = clock;
    }

    @Override
    protected void opened() {
        ObjectNode metadata = NODES.objectNode();
        metadata.put("session_id", opening.sessionId());
        ObjectNode summary = opening.model().summary();
        metadata.put("model", summary.path("id").asString());
        metadata.set("model_version", summary.path("version"));
        metadata.set("action_horizon", summary.path("chunk_length"));
        metadata.set("control_rate_hz", summary.path("control_rate_hz"));
        metadata.set("action_names", summary.path("action_names"));
        ArrayNode keys = metadata.putArray("observation_keys");
        keys.add(IMAGE);
        if (opening.model().cameras().contains("wrist")) {
            keys.add(WRIST_IMAGE);
        }
        if (summary.path("state").isObject()) {
            keys.add(STATE);
        }
        keys.add(PROMPT);
        metadata.set("state", summary.path("state"));
        ObjectNode limits = metadata.putObject("limits");
        limits.put("rate_limit_per_minute", opening.key().rateLimitPerMinute());
        limits.put("monthly_quota", opening.key().monthlyQuota());
        send(binary(MessagePackTrees.write(metadata)));
    }

    @Override
    protected void received(WebSocketMessage frame) {
        long arrived = System.nanoTime();
        if (frame.getType() != WebSocketMessage.Type.BINARY) {
            close(SessionClose.POLICY_VIOLATION, PublicErrorCode.INVALID_REQUEST_BODY.error(
                    "Send observations as binary frames packed with openpi_client.msgpack_numpy."));
            return;
        }
        JsonNode observation;
        try {
            observation = MessagePackTrees.read(bytes(frame));
        } catch (MessagePackTrees.NotMessagePack e) {
            close(SessionClose.POLICY_VIOLATION, PublicErrorCode.INVALID_REQUEST_BODY.error(
                    "A frame must hold one msgpack map (openpi_client.msgpack_numpy.packb(observation))."));
            return;
        }
        if (!observation.isObject()) {
            close(SessionClose.POLICY_VIOLATION, PublicErrorCode.INVALID_REQUEST_BODY.error(
                    "An observation is a map of its keys (" + IMAGE + ", " + PROMPT + ", ...)."));
            return;
        }
        ObjectNode body;
        try {
            body = inferenceBody(observation);
        } catch (NumpyArrays.BadArray | IllegalArgumentException e) {
            fail(PublicErrorCode.INVALID_FIELD_VALUE.error(e.getMessage()), RequestIds.mint().toString());
            return;
        }
        enqueue(new Queued(body, arrived));
    }

    /** The {@code POST /v1/inference} body of an openpi observation. */
    private ObjectNode inferenceBody(JsonNode observation) throws NumpyArrays.BadArray {
        List<String> accepted = new ArrayList<>(List.of(IMAGE, STATE, PROMPT));
        List<String> cameras = opening.model().cameras();
        if (cameras.contains("wrist")) {
            accepted.add(WRIST_IMAGE);
        }
        for (String key : observation.propertyNames()) {
            if (key.startsWith("observation/") && !accepted.contains(key)) {
                throw new IllegalArgumentException(key.equals(WRIST_IMAGE)
                        ? "Model " + opening.model().id() + " has only the camera(s) " + String.join(", ", cameras)
                                + ": send " + IMAGE + " alone, without " + WRIST_IMAGE + "."
                        : "Unknown observation key '" + key + "'; this endpoint reads " + String.join(", ", accepted) + ".");
            }
        }
        ObjectNode body = NODES.objectNode();
        body.put("model", opening.model().id());
        body.put("return", "chunk");
        JsonNode image = observation.path(IMAGE);
        if (image.isMissingNode()) {
            throw new IllegalArgumentException("The observation has no '" + IMAGE + "' (uint8, height x width x 3).");
        }
        if (observation.has(WRIST_IMAGE)) {
            ObjectNode images = body.putObject("images");
            images.put("primary", frameBytes(image, IMAGE));
            images.put("wrist", frameBytes(observation.path(WRIST_IMAGE), WRIST_IMAGE));
        } else {
            body.put("image", frameBytes(image, IMAGE));
        }
        JsonNode prompt = observation.path(PROMPT);
        if (prompt.isString()) {
            body.put("instruction", prompt.asString());
        } else if (!prompt.isMissingNode()) {
            throw new IllegalArgumentException("'" + PROMPT + "' must be a string.");
        }
        JsonNode state = observation.path(STATE);
        if (!state.isMissingNode()) {
            ArrayNode values = body.putArray("state");
            for (double value : numbers(state)) {
                values.add(value);
            }
        }
        for (String setting : List.of("unnorm_key", "robot")) {
            String value = opening.query().getFirst(setting);
            if (value != null) {
                body.put(setting, value);
            }
        }
        body.put("observation_time", clock.millis() / 1000.0);
        return body;
    }

    private static byte[] frameBytes(JsonNode image, String key) throws NumpyArrays.BadArray {
        if (image.isBinary()) {
            // Already a PNG or JPEG file: passed on as it is.
            return image.binaryValue();
        }
        if (!NumpyArrays.isArray(image)) {
            throw new IllegalArgumentException("'" + key + "' must be a numpy uint8 array (height, width, 3).");
        }
        try {
            return PngFrames.encode(NumpyArrays.read(image));
        } catch (NumpyArrays.BadArray e) {
            throw new NumpyArrays.BadArray("'" + key + "': " + e.getMessage());
        }
    }

    private static double[] numbers(JsonNode state) throws NumpyArrays.BadArray {
        if (NumpyArrays.isArray(state)) {
            NumpyArrays.NdArray array = NumpyArrays.read(state);
            if (array.shape().length != 1) {
                throw new NumpyArrays.BadArray("'" + STATE + "' must be one-dimensional");
            }
            return array.doubles();
        }
        if (state.isArray()) {
            double[] values = new double[state.size()];
            for (int i = 0; i < values.length; i++) {
                if (!state.get(i).isNumber()) {
                    throw new IllegalArgumentException("'" + STATE + "' must hold numbers.");
                }
                values[i] = state.get(i).doubleValue();
            }
            return values;
        }
        throw new IllegalArgumentException("'" + STATE + "' must be a numpy array or a list of numbers.");
    }

    private static byte[] bytes(WebSocketMessage frame) {
        DataBuffer payload = frame.getPayload();
        byte[] bytes = new byte[payload.readableByteCount()];
        payload.read(bytes);
        return bytes;
    }

    private synchronized void enqueue(Queued observation) {
        if (queue.size() >= MAX_QUEUED) {
            close(SessionClose.POLICY_VIOLATION, PublicErrorCode.INVALID_REQUEST_BODY.error(
                    "More than " + MAX_QUEUED + " observations unanswered: read each answer before sending the next."));
            return;
        }
        queue.addLast(observation);
        if (!inFlight) {
            inFlight = true;
            serve(queue.pollFirst());
        }
    }

    private synchronized void next() {
        Queued turn = queue.pollFirst();
        if (turn == null || isClosing()) {
            inFlight = false;
            return;
        }
        serve(turn);
    }

    private void serve(Queued observation) {
        observations.serve(this, observation.body(), eventLoop)
                .doOnNext(result -> {
                    if (result instanceof Served served) {
                        send(binary(answer(served, observation)));
                    } else {
                        Refused refused = (Refused) result;
                        fail(refused.error(), refused.requestId());
                    }
                })
                .doFinally(signal -> next())
                .subscribe();
    }

    /** As openpi's server does after a failed observation: the error as a text frame, then the close. */
    private void fail(ApiError error, String requestId) {
        send(text(error, requestId));
        close(SessionClose.after(error).orElse(SessionClose.INTERNAL_ERROR), null);
    }

    private byte[] answer(Served served, Queued observation) {
        JsonNode answer = served.answer();
        List<double[]> actions = new ArrayList<>();
        JsonNode chunk = answer.path("actions").isArray() ? answer.path("actions")
                : NODES.arrayNode().add(answer.path("action").path("values"));
        for (JsonNode action : chunk.values()) {
            double[] values = new double[action.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = action.get(i).doubleValue();
            }
            actions.add(values);
        }
        double totalMs = (System.nanoTime() - observation.arrivedNanos()) / 1e6;
        ObjectNode timing = NODES.objectNode();
        timing.put("infer_ms", totalMs);
        synchronized (this) {
            if (previousTotalMs != null) {
                timing.put("prev_total_ms", previousTotalMs);
            }
            previousTotalMs = totalMs;
        }
        ObjectNode policyTiming = NODES.objectNode();
        policyTiming.put("infer_ms", answer.path("timings_ms").path("inference").asDouble(answer.path("latency_ms").asDouble()));
        try (MessageBufferPacker out = MessagePack.newDefaultBufferPacker()) {
            Map<String, JsonNode> extras = new LinkedHashMap<>();
            extras.put("server_timing", timing);
            extras.put("policy_timing", policyTiming);
            extras.put("request_id", NODES.stringNode(served.requestId()));
            for (String field : List.of("t0", "dt", "valid_from", "deadline_missed")) {
                if (answer.has(field)) {
                    extras.put(field, answer.get(field));
                }
            }
            out.packMapHeader(1 + extras.size());
            out.packString("actions");
            NumpyArrays.writeFloat64(out, actions);
            for (Map.Entry<String, JsonNode> extra : extras.entrySet()) {
                out.packString(extra.getKey());
                MessagePackTrees.write(out, extra.getValue());
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("packing into memory cannot fail", e);
        }
    }

    @Override
    protected WebSocketMessage closingMessage(ApiError error) {
        return text(error, null);
    }

    private WebSocketMessage text(ApiError error, String requestId) {
        UUID id = requestId == null ? UUID.fromString(opening.sessionId()) : UUID.fromString(requestId);
        return socket.textMessage(new String(ErrorBody.json(error, id), StandardCharsets.UTF_8));
    }

    private WebSocketMessage binary(byte[] bytes) {
        return socket.binaryMessage(buffers -> buffers.wrap(bytes));
    }
}
