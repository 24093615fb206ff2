package com.vlaapi.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /v1/openpi} speaks openpi's policy-server protocol: frames are packed here exactly as
 * openpi_client's msgpack_numpy packs them (Python's msgpack with {@code use_bin_type}: str keys
 * for the observation, bytes keys {@code __ndarray__}, {@code data}, {@code dtype}, {@code shape}
 * for each array) and the answers are read back the same way.
 */
class OpenpiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int HEIGHT = 4;
    private static final int WIDTH = 5;

    private static final StandIns standIns = new StandIns();
    private static final ChunkUpstream upstream = new ChunkUpstream();
    private static ConfigurableApplicationContext gateway;
    private static int port;

    @BeforeAll
    static void start() {
        gateway = standIns.startGateway(Map.of("vla.inference.urls", upstream.url()));
        port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        standIns.deleteKeys(gateway.getBean(StringRedisTemplate.class));
        gateway.close();
        upstream.close();
        standIns.close();
    }

    /** msgpack_numpy.pack_array of an ndarray: a map with bytes keys. */
    private static Value ndarray(byte[] data, String dtype, int... shape) {
        Map<Value, Value> map = new LinkedHashMap<>();
        map.put(bytesKey("__ndarray__"), ValueFactory.newBoolean(true));
        map.put(bytesKey("data"), ValueFactory.newBinary(data));
        map.put(bytesKey("dtype"), ValueFactory.newString(dtype));
        Value[] dimensions = new Value[shape.length];
        for (int i = 0; i < shape.length; i++) {
            dimensions[i] = ValueFactory.newInteger(shape[i]);
        }
        map.put(bytesKey("shape"), ValueFactory.newArray(dimensions));
        return ValueFactory.newMap(map);
    }

    private static Value bytesKey(String key) {
        return ValueFactory.newBinary(key.getBytes(StandardCharsets.US_ASCII));
    }

    /** An RGB frame whose pixel (y, x) is (10 y, 20 x, y + x). */
    private static byte[] frame() {
        byte[] rgb = new byte[HEIGHT * WIDTH * 3];
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int p = (y * WIDTH + x) * 3;
                rgb[p] = (byte) (10 * y);
                rgb[p + 1] = (byte) (20 * x);
                rgb[p + 2] = (byte) (y + x);
            }
        }
        return rgb;
    }

    private static byte[] float32s(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            buffer.putFloat(value);
        }
        return buffer.array();
    }

    private static byte[] observation(Map<String, Value> keys) throws IOException {
        Map<Value, Value> map = new LinkedHashMap<>();
        keys.forEach((key, value) -> map.put(ValueFactory.newString(key), value));
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            packer.packValue(ValueFactory.newMap(map));
            return packer.toByteArray();
        }
    }

    private static Map<String, Value> libero(String prompt) {
        Map<String, Value> keys = new LinkedHashMap<>();
        keys.put("observation/image", ndarray(frame(), "|u1", HEIGHT, WIDTH, 3));
        keys.put("observation/state", ndarray(float32s(0.5f, 0.25f, 0.125f), "<f4", 3));
        keys.put("prompt", ValueFactory.newString(prompt));
        return keys;
    }

    /** msgpack_numpy.unpackb: the map, with bytes keys read as text. */
    private static Map<String, Value> unpack(byte[] frame) throws IOException {
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(frame)) {
            Map<String, Value> map = new LinkedHashMap<>();
            unpacker.unpackValue().asMapValue().map().forEach((key, value) -> map.put(
                    key.isBinaryValue() ? new String(key.asBinaryValue().asByteArray(), StandardCharsets.UTF_8)
                            : key.asStringValue().asString(), value));
            return map;
        }
    }

    private static TestSocket connect(String key) {
        return TestSocket.open(port, "/v1/openpi", "Api-Key " + key);
    }

    @Test
    void anOpenpiClientGetsMetadataThenAnActionChunkAsANumpyArrayForEachObservation() throws Exception {
        UUID customer = UUID.randomUUID();
        try (TestSocket policy = connect(standIns.key(customer, "active", "pro", 100_000, 100_000))) {
            Map<String, Value> metadata = unpack(policy.nextBinary());
            assertEquals(ChunkUpstream.MODEL, metadata.get("model").asStringValue().asString());
            assertEquals(ChunkUpstream.CHUNK, metadata.get("action_horizon").asIntegerValue().asInt());

            for (int call = 0; call < 2; call++) {
                policy.sendBinary(observation(libero("pick up the red block")));
                Map<String, Value> answer = unpack(policy.nextBinary());
                Map<String, Value> actions = unpack(packed(answer.get("actions")));
                assertTrue(actions.get("__ndarray__").asBooleanValue().getBoolean());
                assertEquals("<f8", actions.get("dtype").asStringValue().asString());
                assertEquals(ChunkUpstream.CHUNK, actions.get("shape").asArrayValue().get(0).asIntegerValue().asInt());
                assertEquals(7, actions.get("shape").asArrayValue().get(1).asIntegerValue().asInt());
                ByteBuffer data = ByteBuffer.wrap(actions.get("data").asBinaryValue().asByteArray()).order(ByteOrder.LITTLE_ENDIAN);
                for (int k = 0; k < ChunkUpstream.CHUNK; k++) {
                    for (int j = 0; j < 7; j++) {
                        assertEquals(ChunkUpstream.action(k, j, 0.5), data.getDouble(), 1e-12, "action " + k + ", " + j);
                    }
                }
                Map<String, Value> timing = answer.get("server_timing").asMapValue().map().entrySet().stream()
                        .collect(LinkedHashMap::new, (m, e) -> m.put(e.getKey().asStringValue().asString(), e.getValue()), Map::putAll);
                assertTrue(timing.get("infer_ms").isFloatValue());
                assertEquals(call == 1, timing.containsKey("prev_total_ms"), "openpi reports the previous cycle from the second on");
                assertTrue(answer.containsKey("request_id"));
            }
        }
        ChunkUpstream.Received sent = upstream.of(customer.toString()).get(0);
        assertEquals("pick up the red block", sent.body().path("instruction").asString());
        assertEquals("chunk", sent.body().path("return").asString());
        assertEquals(0.125, sent.body().path("state").path(2).asDouble());
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(sent.body().path("image").asString())));
        byte[] expected = frame();
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int p = (y * WIDTH + x) * 3;
                int rgb = (expected[p] & 0xff) << 16 | (expected[p + 1] & 0xff) << 8 | (expected[p + 2] & 0xff);
                assertEquals(rgb, png.getRGB(x, y) & 0xffffff, "pixel " + x + ", " + y + " arrives exactly (PNG)");
            }
        }
    }

    private static byte[] packed(Value value) throws IOException {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            packer.packValue(value);
            return packer.toByteArray();
        }
    }

    @Test
    void aWristImageForAOneCameraModelIsAnErrorTextThenClose1011AsOpenpisServerDoes() throws Exception {
        try (TestSocket policy = connect(standIns.key(UUID.randomUUID(), "active", "pro", 100_000, 100_000))) {
            policy.nextBinary();
            Map<String, Value> keys = libero("stack the blocks");
            keys.put("observation/wrist_image", ndarray(frame(), "|u1", HEIGHT, WIDTH, 3));
            policy.sendBinary(observation(keys));
            JsonNode error = JSON.readTree(policy.nextText());
            assertEquals("invalid_field_value", error.path("error").path("code").asString());
            assertTrue(error.path("error").path("message").asString().contains("primary"), error.toString());
            assertEquals(1011, policy.awaitClose().code());
        }
    }

    @Test
    void theKeyMayComeAsOpenpisApiKeySchemeAndABadOneIsRefusedBeforeTheUpgrade() {
        assertEquals(401, TestSocket.refused(port, "/v1/openpi", "Api-Key vla_live_wrong").getResponse().statusCode());
        assertEquals(401, TestSocket.refused(port, "/v1/openpi", null).getResponse().statusCode());
    }

    @Test
    void aQuotaUsedUpEndsTheSessionWith4004() throws Exception {
        try (TestSocket policy = connect(standIns.key(UUID.randomUUID(), "active", "free", 1, 600))) {
            policy.nextBinary();
            policy.sendBinary(observation(libero("one")));
            assertFalse(unpack(policy.nextBinary()).isEmpty());
            policy.sendBinary(observation(libero("two")));
            assertEquals("quota_exceeded", JSON.readTree(policy.nextText()).path("error").path("code").asString());
            assertEquals(4004, policy.awaitClose().code());
        }
    }
}
