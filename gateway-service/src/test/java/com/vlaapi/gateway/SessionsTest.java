package com.vlaapi.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.gateway.session.MessagePackTrees;
import com.vlaapi.servicecontract.apikey.ApiKeyHashes;
import com.vlaapi.testsupport.clock.MutableClock;
import com.vlaapi.testsupport.http.RawAnswer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /v1/sessions} against the real Redis and key resolution, with a stand-in inference-service
 * that answers chunks ({@link ChunkUpstream}): the protocol (docs/sessions.md), metering of
 * each observation as one request, and every close code.
 */
class SessionsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** A PNG's first bytes and some more: the stand-in never decodes it, the gateway must not either. */
    static final byte[] IMAGE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 1, 2, 3, (byte) 0xff, (byte) 0xfe};
    private static final long MAX_FRAME_BYTES = 64 * 1024;

    private static final StandIns standIns = new StandIns();
    private static final MutableClock clock = MutableClock.startingNow();
    private static final ChunkUpstream upstream = new ChunkUpstream();
    private static ConfigurableApplicationContext gateway;
    private static int port;

    @BeforeAll
    static void start() {
        gateway = standIns.startGateway(Map.of(
                "vla.inference.urls", upstream.url(),
                "vla.gateway.max-body-bytes", Long.toString(MAX_FRAME_BYTES),
                "vla.gateway.sessions.max-sessions-per-key", "2",
                "vla.gateway.sessions.max-sessions-per-customer", "3",
                "vla.gateway.sessions.heartbeat-interval", "200ms",
                "vla.gateway.sessions.heartbeat-timeout", "1s",
                "vla.gateway.sessions.max-unsent-messages", "4",
                "vla.gateway.sessions.observation-timeout", "5s"), clock);
        port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        standIns.deleteKeys(gateway.getBean(StringRedisTemplate.class));
        gateway.close();
        upstream.close();
        standIns.close();
    }

    private static String key(UUID customer) {
        return standIns.key(customer, "active", "pro", 100_000, 100_000);
    }

    private static TestSocket session(String key) {
        return TestSocket.open(port, "/v1/sessions", "Bearer " + key);
    }

    private static ObjectNode observation(String id) {
        ObjectNode observation = JsonNodeFactory.instance.objectNode();
        observation.put("type", "observation");
        observation.put("id", id);
        observation.put("image", Base64.getEncoder().encodeToString(IMAGE));
        observation.put("instruction", "put the red block on the blue block");
        observation.putArray("state").add(0.5).add(0.25).add(0.1);
        return observation;
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    @Test
    void metadataComesFirstThenEachObservationGetsItsChunkAndCountsAsOneRequest() throws Exception {
        UUID customer = UUID.randomUUID();
        String key = key(customer);
        try (TestSocket session = session(key)) {
            JsonNode metadata = json(session.nextText());
            assertEquals("metadata", metadata.path("type").asString());
            assertEquals(1, metadata.path("protocol").asInt());
            JsonNode model = metadata.path("model");
            assertEquals(ChunkUpstream.MODEL, model.path("id").asString());
            assertEquals(ChunkUpstream.CHUNK, model.path("chunk_length").asInt());
            assertEquals(10.0, model.path("control_rate_hz").asDouble());
            assertEquals(ChunkUpstream.ACTION_NAMES.size(), model.path("action_names").size());
            assertEquals("primary", model.path("cameras").path(0).asString());
            assertEquals("2.0.0", model.path("contract").path("version").asString());
            assertEquals(100_000, metadata.path("limits").path("rate_limit_per_minute").asInt());
            assertEquals(100_000, metadata.path("limits").path("monthly_quota").asLong());
            assertEquals(MAX_FRAME_BYTES, metadata.path("limits").path("max_frame_bytes").asLong());
            assertEquals(200, metadata.path("heartbeat").path("interval_ms").asLong());
            String sessionId = metadata.path("session_id").asString();

            for (String id : new String[] {"first", "second"}) {
                session.sendText(observation(id).toString());
                JsonNode chunk = json(session.nextText());
                assertEquals("chunk", chunk.path("type").asString(), chunk.toString());
                assertEquals(id, chunk.path("id").asString());
                assertEquals(ChunkUpstream.CHUNK, chunk.path("actions").size());
                assertEquals(ChunkUpstream.action(3, 2, 0.5), chunk.path("actions").path(3).path(2).asDouble(), 1e-12);
                assertEquals("dx", chunk.path("action_names").path(0).asString());
                assertEquals(0.1, chunk.path("dt").asDouble());
                assertTrue(chunk.path("t0").asDouble() > 1.7e9, "stamped on arrival: " + chunk.path("t0"));
                assertEquals(0, chunk.path("valid_from").asInt());
                assertFalse(chunk.path("deadline_missed").asBoolean());
                assertTrue(chunk.path("safety").isObject());
                assertEquals(0, chunk.path("dropped").asInt());
                assertEquals(1.5, chunk.path("server_timing").path("inference_ms").asDouble());
                assertTrue(chunk.path("server_timing").path("gateway_ms").isNumber());
                assertTrue(chunk.path("server_timing").path("upstream_ms").isNumber());
                assertFalse(chunk.has("latency_ms"));
                String requestId = chunk.path("request_id").asString();
                assertFalse(requestId.equals(sessionId), "each observation is a request of its own");
            }

            var received = upstream.of(customer.toString());
            assertEquals(2, received.size());
            ChunkUpstream.Received first = received.get(0);
            assertEquals(StandIns.INTERNAL_TOKEN, first.internalToken());
            assertEquals(standIns.keyIds.get(key).toString(), first.keyId());
            assertEquals("chunk", first.body().path("return").asString());
            assertEquals(ChunkUpstream.MODEL, first.body().path("model").asString());
            assertEquals(Base64.getEncoder().encodeToString(IMAGE), first.body().path("image").asString());
            assertEquals(0.25, first.body().path("state").path(1).asDouble());
            assertFalse(first.body().has("type") || first.body().has("id"), first.body().toString());
            assertFalse(first.requestId().equals(received.get(1).requestId()));
        }
        StringRedisTemplate redis = gateway.getBean(StringRedisTemplate.class);
        await("each served observation is one request of the quota").atMost(Duration.ofSeconds(10))
                .until(() -> standIns.usageCounted(redis, customer) == 2);
    }

    @Test
    void theNextObservationsSlotIsReservedWhileTheSessionWaitsAndGivenBackWhenItEnds() throws Exception {
        UUID customer = UUID.randomUUID();
        StringRedisTemplate redis = gateway.getBean(StringRedisTemplate.class);
        String inFlight = standIns.redisPrefix + "usage:{" + customer + "}:"
                + YearMonth.from(clock.instant().atZone(ZoneOffset.UTC)) + ":in-flight";
        try (TestSocket session = session(key(customer))) {
            session.nextText();
            session.sendText(observation("first").toString());
            assertEquals("chunk", json(session.nextText()).path("type").asString());
            await("one slot held for the next observation, the first counted").atMost(Duration.ofSeconds(10))
                    .until(() -> Objects.equals(redis.opsForZSet().zCard(inFlight), 1L)
                            && standIns.usageCounted(redis, customer) == 1);
            String held = redis.opsForZSet().range(inFlight, 0, -1).iterator().next();

            session.sendText(observation("second").toString());
            assertEquals(held, json(session.nextText()).path("request_id").asString(),
                    "the second observation is served under the slot held for it");
        }
        await("the slot held when the session ended is given back").atMost(Duration.ofSeconds(10))
                .until(() -> Objects.equals(redis.opsForZSet().zCard(inFlight), 0L));
        assertEquals(2, standIns.usageCounted(redis, customer));
    }

    @Test
    void binaryFramesAreMessagePackWithRawImageBytesAndAreAnsweredInKind() throws Exception {
        UUID customer = UUID.randomUUID();
        try (TestSocket session = TestSocket.open(port, "/v1/sessions?format=msgpack", "Bearer " + key(customer))) {
            JsonNode metadata = MessagePackTrees.read(session.nextBinary());
            assertEquals("metadata", metadata.path("type").asString());

            ObjectNode observation = observation("m1");
            observation.remove("image");
            observation.putObject("images").put("primary", IMAGE);
            session.sendBinary(MessagePackTrees.write(observation));
            JsonNode chunk = MessagePackTrees.read(session.nextBinary());
            assertEquals("chunk", chunk.path("type").asString(), chunk.toString());
            assertEquals("m1", chunk.path("id").asString());
            assertEquals(ChunkUpstream.action(7, 6, 0.5), chunk.path("actions").path(7).path(6).asDouble(), 1e-12);

            session.sendText(observation("j1").toString());
            assertEquals("j1", json(session.nextText()).path("id").asString(), "a text frame gets a text answer");
        }
        JsonNode sent = upstream.of(customer.toString()).get(0).body();
        assertArrayEquals(IMAGE, Base64.getDecoder().decode(sent.path("images").path("primary").asString()));
    }

    @Test
    void aBadObservationGetsAnErrorAndTheSessionGoesOn() throws Exception {
        UUID customer = UUID.randomUUID();
        try (TestSocket session = session(key(customer))) {
            session.nextText();
            ObjectNode noImage = observation("bad");
            noImage.remove("image");
            session.sendText(noImage.toString());
            JsonNode error = json(session.nextText());
            assertEquals("error", error.path("type").asString());
            assertEquals("bad", error.path("id").asString());
            assertEquals("missing_image", error.path("error").path("code").asString());
            assertTrue(error.path("error").path("request_id").isString());

            ObjectNode otherModel = observation("model");
            otherModel.put("model", "another");
            session.sendText(otherModel.toString());
            assertEquals("invalid_field_value", json(session.nextText()).path("error").path("code").asString());

            session.sendText(observation("good").toString());
            assertEquals("chunk", json(session.nextText()).path("type").asString());
        }
    }

    @Test
    void anObservationNotAnsweredInTimeGetsUpstreamTimeoutAndTheSessionGoesOn() throws Exception {
        UUID customer = UUID.randomUUID();
        upstream.held.add(customer.toString());
        try (TestSocket session = session(key(customer))) {
            session.nextText();
            session.sendText(observation("slow").toString());
            JsonNode timedOut = json(session.nextText());
            assertEquals("slow", timedOut.path("id").asString());
            assertEquals("upstream_timeout", timedOut.path("error").path("code").asString());

            upstream.held.remove(customer.toString());
            upstream.release(1);
            session.sendText(observation("next").toString());
            JsonNode next = json(session.nextText());
            assertEquals("chunk", next.path("type").asString(), "the session goes on");
            assertEquals("next", next.path("id").asString());
        } finally {
            upstream.held.remove(customer.toString());
        }
    }

    @Test
    void aBadKeyGetsItsUsualErrorBeforeAnyUpgrade() {
        WebSocketHandshakeException refused = TestSocket.refused(port, "/v1/sessions", "Bearer vla_live_notakey");
        assertEquals(401, refused.getResponse().statusCode());

        String revoked = standIns.key(UUID.randomUUID(), "revoked", "pro", 100, 100);
        WebSocketHandshakeException revokedKey = TestSocket.refused(port, "/v1/sessions", "Bearer " + revoked);
        assertEquals(401, revokedKey.getResponse().statusCode());

        assertEquals(401, TestSocket.refused(port, "/v1/sessions", null).getResponse().statusCode());
    }

    @Test
    void anUnknownModelIsRefusedBeforeAnyUpgrade() {
        WebSocketHandshakeException refused = TestSocket.refused(port, "/v1/sessions?model=nope",
                "Bearer " + key(UUID.randomUUID()));
        assertEquals(404, refused.getResponse().statusCode());
    }

    @Test
    void aKeyMayHoldOnlySoManySessions() throws Exception {
        String key = key(UUID.randomUUID());
        try (TestSocket one = session(key); TestSocket two = session(key)) {
            one.nextText();
            two.nextText();
            WebSocketHandshakeException third = TestSocket.refused(port, "/v1/sessions", "Bearer " + key);
            assertEquals(429, third.getResponse().statusCode());
        }
        await("a closed session gives its place back").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (TestSocket again = session(key)) {
                assertEquals("metadata", json(again.nextText()).path("type").asString());
            }
        });
    }

    @Test
    void aCustomersKeysTogetherMayHoldOnlySoManySessions() throws Exception {
        UUID customer = UUID.randomUUID();
        String first = key(customer);
        String second = key(customer);
        try (TestSocket one = session(first); TestSocket two = session(first); TestSocket three = session(second)) {
            one.nextText();
            two.nextText();
            three.nextText();
            WebSocketHandshakeException fourth = TestSocket.refused(port, "/v1/sessions", "Bearer " + second);
            assertEquals(429, fourth.getResponse().statusCode());
        }
    }

    @Test
    void aFrameThatIsNotAnObservationClosesWith1008() throws Exception {
        try (TestSocket session = session(key(UUID.randomUUID()))) {
            session.nextText();
            session.sendText("not json");
            assertEquals("error", json(session.nextText()).path("type").asString());
            assertEquals(1008, session.awaitClose().code());
        }
    }

    @Test
    void aFrameOverTheBodyCapClosesWith1009() throws Exception {
        try (TestSocket session = session(key(UUID.randomUUID()))) {
            session.nextText();
            ObjectNode huge = observation("huge");
            huge.put("image", Base64.getEncoder().encodeToString(new byte[(int) MAX_FRAME_BYTES]));
            session.sendText(huge.toString());
            assertEquals(1009, session.awaitClose().code());
        }
    }

    @Test
    void anOverloadedInferenceServiceClosesWith1013() throws Exception {
        UUID customer = UUID.randomUUID();
        upstream.overloaded.add(customer.toString());
        StringRedisTemplate redis = gateway.getBean(StringRedisTemplate.class);
        try (TestSocket session = session(key(customer))) {
            session.nextText();
            session.sendText(observation("o").toString());
            assertEquals("overloaded", json(session.nextText()).path("error").path("code").asString());
            assertEquals(1013, session.awaitClose().code());
        }
        assertEquals(0, standIns.usageCounted(redis, customer), "not served, not counted");
    }

    @Test
    void aRateLimitedObservationGetsAnErrorWithRetryAfterAndTheSessionGoesOn() throws Exception {
        String key = standIns.key(UUID.randomUUID(), "active", "free", 100_000, 1);
        try (TestSocket session = session(key)) {
            session.nextText();
            session.sendText(observation("1").toString());
            assertEquals("chunk", json(session.nextText()).path("type").asString());
            session.sendText(observation("2").toString());
            JsonNode limited = json(session.nextText());
            assertEquals("rate_limit_exceeded", limited.path("error").path("code").asString());
            assertTrue(limited.path("retry_after_ms").asLong() >= 1000, limited.toString());
            assertFalse(session.closed.isDone());
        }
    }

    @Test
    void anExhaustedQuotaClosesWith4004() throws Exception {
        String key = standIns.key(UUID.randomUUID(), "active", "free", 2, 600);
        try (TestSocket session = session(key)) {
            session.nextText();
            for (int i = 0; i < 2; i++) {
                session.sendText(observation("ok" + i).toString());
                assertEquals("chunk", json(session.nextText()).path("type").asString());
            }
            session.sendText(observation("over").toString());
            JsonNode over = json(session.nextText());
            assertEquals("quota_exceeded", over.path("error").path("code").asString());
            assertEquals("over", over.path("id").asString());
            assertTrue(over.path("retry_after_ms").asLong() > 0);
            assertEquals(4004, session.awaitClose().code());
        }
    }

    @Test
    void aRevokedKeyClosesItsOpenSessionWithin1sWith4001() throws Exception {
        UUID customer = UUID.randomUUID();
        String key = key(customer);
        try (TestSocket session = session(key)) {
            session.nextText();
            session.sendText(observation("before").toString());
            assertEquals("chunk", json(session.nextText()).path("type").asString());

            // As customer-service revokes a key: its answer changes, the Redis entry goes, the event follows.
            StringRedisTemplate redis = gateway.getBean(StringRedisTemplate.class);
            String hash = ApiKeyHashes.sha256Hex(key);
            standIns.revoke(key);
            redis.delete(standIns.redisPrefix + "apikey:" + hash);
            redis.convertAndSend(standIns.redisPrefix + "key-events",
                    "{\"key_hashes\": [\"" + hash + "\"], \"customer_id\": \"" + customer + "\", \"reason\": \"revoked\"}");

            await("the session is closed").atMost(Duration.ofSeconds(1)).until(session.closed::isDone);
            assertEquals(4001, session.awaitClose().code());
            assertEquals("revoked_api_key", json(session.nextText()).path("error").path("code").asString());
        }
    }

    @Test
    void aKeyThatExpiresClosesItsOpenSessionWith4002() throws Exception {
        String key = standIns.key(UUID.randomUUID(), "active", "pro", 100_000, 100_000, clock.instant().plusSeconds(60));
        try (TestSocket session = session(key)) {
            session.nextText();
            clock.advance(Duration.ofSeconds(61));
            assertEquals(4002, session.awaitClose().code());
            assertEquals("expired_api_key", json(session.nextText()).path("error").path("code").asString());
        }
    }

    @Test
    void observationsThatArriveWhileOneIsServedLeaveOnlyTheNewestWaitingAndTheDroppedAreCounted() throws Exception {
        UUID customer = UUID.randomUUID();
        upstream.held.add(customer.toString());
        MeterRegistry meters = gateway.getBean(MeterRegistry.class);
        double droppedBefore = dropped(meters);
        try (TestSocket session = session(key(customer))) {
            session.nextText();
            session.sendText(observation("A").toString());
            await("A is in flight").atMost(Duration.ofSeconds(10)).until(() -> upstream.of(customer.toString()).size() == 1);
            session.sendText(observation("B").toString());
            session.sendText(observation("C").toString());
            session.sendText(observation("D").toString());
            await("B and C are dropped").atMost(Duration.ofSeconds(10)).until(() -> dropped(meters) - droppedBefore == 2);

            upstream.release(1);
            JsonNode a = json(session.nextText());
            assertEquals("A", a.path("id").asString());
            assertEquals(2, a.path("dropped").asInt());
            upstream.release(1);
            JsonNode d = json(session.nextText());
            assertEquals("D", d.path("id").asString(), "the newest is served next");
            assertEquals(0, d.path("dropped").asInt());
            assertTrue(d.path("server_timing").path("waited_ms").asDouble() > 0);
            assertEquals(2, upstream.of(customer.toString()).size(), "B and C never reach inference-service");
        } finally {
            upstream.held.remove(customer.toString());
        }
    }

    private static double dropped(MeterRegistry meters) {
        return meters.counter("vla.gateway.sessions.observations.dropped").count();
    }

    @Test
    void aSessionThatAnswersPingsStaysOpenPastTheHeartbeatTimeout() throws Exception {
        try (TestSocket session = session(key(UUID.randomUUID()))) {
            session.nextText();
            await("open for twice the heartbeat timeout").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                    .until(() -> !session.closed.isDone());
            session.sendText(observation("late").toString());
            assertEquals("chunk", json(session.nextText()).path("type").asString());
        }
    }

    @Test
    void aClientThatAnswersNoPingIsClosedWith4005() throws Exception {
        try (Socket silent = new Socket("127.0.0.1", port)) {
            silent.setSoTimeout(20_000);
            silent.getOutputStream().write(upgrade(key(UUID.randomUUID())));
            DataInputStream in = new DataInputStream(silent.getInputStream());
            RawAnswer upgraded = RawAnswer.readOne(in);
            assertEquals(101, upgraded.status());
            boolean metadata = true;
            int pings = 0;
            while (true) {
                // A server's frames are not masked: opcode, length (7 bits, or 16 or 64 more), payload.
                int opcode = in.readUnsignedByte() & 0x0f;
                long length = in.readUnsignedByte() & 0x7f;
                length = length == 126 ? in.readUnsignedShort() : length == 127 ? in.readLong() : length;
                byte[] payload = in.readNBytes((int) length);
                if (metadata) {
                    String sessionId = json(new String(payload, StandardCharsets.UTF_8)).path("session_id").asString();
                    assertEquals(sessionId, upgraded.headers().firstValue("X-Request-Id").orElse(null), "the upgrade's id");
                    metadata = false;
                } else if (opcode == 0x9) {
                    pings++;
                } else if (opcode == 0x8) {
                    assertEquals(4005, (payload[0] & 0xff) << 8 | (payload[1] & 0xff));
                    assertTrue(pings > 0, "pinged before being given up");
                    return;
                }
            }
        }
    }

    @Test
    void aClientThatSendsButDoesNotReadHasItsConnectionDropped() throws Exception {
        MeterRegistry meters = gateway.getBean(MeterRegistry.class);
        double openBefore = meters.get("vla.gateway.sessions.open").gauge().value();
        double droppedBefore = meters.get("vla.gateway.sessions.dropped.unread").counter().count();
        try (Socket deaf = new Socket()) {
            // A small window, so that what the connection buffers fills up soon.
            deaf.setReceiveBufferSize(1024);
            deaf.connect(new InetSocketAddress("127.0.0.1", port));
            deaf.getOutputStream().write(upgrade(key(UUID.randomUUID())));
            assertEquals(101, RawAnswer.readOne(deaf.getInputStream()).status());
            // A long id, which every chunk repeats: the answers fill what the connection buffers in seconds.
            byte[] frame = maskedTextFrame(observation("unread-" + "x".repeat(32_000)).toString());
            // Each observation is answered and the answers are never read: a write fails once the gateway
            // has dropped the connection. Unbounded, the gateway would queue the answers for ever.
            await("the gateway drops the connection").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                    .until(() -> {
                        try {
                            deaf.getOutputStream().write(frame);
                            return false;
                        } catch (IOException dropped) {
                            return true;
                        }
                    });
        }
        await("the session is gone").atMost(Duration.ofSeconds(10))
                .until(() -> meters.get("vla.gateway.sessions.open").gauge().value() == openBefore);
        assertEquals(droppedBefore + 1, meters.get("vla.gateway.sessions.dropped.unread").counter().count());
    }

    private static byte[] upgrade(String key) {
        return ("GET /v1/sessions HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Authorization: Bearer " + key + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A client's text frame: final, masked (as RFC 6455 requires of clients), the length in 7 or 7+16 bits. */
    private static byte[] maskedTextFrame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = {0x12, 0x34, 0x56, 0x78};
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xff);
        }
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }
}
