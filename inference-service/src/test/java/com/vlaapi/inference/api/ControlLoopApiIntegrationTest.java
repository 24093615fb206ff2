package com.vlaapi.inference.api;

import static com.vlaapi.inference.support.Gateway.body;
import static com.vlaapi.inference.support.JsonArrays.doubles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.vlaapi.inference.support.Gateway;
import com.vlaapi.inference.testdatabase.OwnTestDatabase;
import com.vlaapi.referencepolicy.eval.EvalSet;
import com.vlaapi.testsupport.clock.MutableClock;
import com.vlaapi.testsupport.database.TestDatabase;
import com.vlaapi.testsupport.http.ApiClient;
import com.vlaapi.testsupport.http.ApiClient.Response;
import com.vlaapi.testsupport.repo.RepoPaths;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.bean.override.convention.TestBean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a robot's control loop asks of the service, over real HTTP with the real model and
 * database: time-stamped chunks ({@code "return": "chunk"}), images by camera, and OpenVLA's
 * {@code POST /act}, each logged like any request.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "vla.internal-token=" + Gateway.TOKEN,
        "vla.inference.usage-relay.enabled=false"})
@Import(OwnTestDatabase.class)
@DirtiesContext
class ControlLoopApiIntegrationTest {

    private static final EvalSet evalSet = EvalSet.read(RepoPaths.evalSet());
    private static final MutableClock CLOCK = MutableClock.startingNow();
    private static final Instant NOW = Instant.parse("2027-05-04T03:02:01.500Z");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TestBean
    Clock clock;
    @Autowired
    TestDatabase database;

    @LocalServerPort
    int port;
    private ApiClient gateway;
    private JdbcTemplate db;

    static Clock clock() {
        return CLOCK;
    }

    @BeforeEach
    void connect() {
        gateway = Gateway.calling(ApiClient.onPort(port));
        db = database.jdbc();
        CLOCK.set(NOW);
    }

    @Test
    void aChunkStartsWithTheActionAndSaysWhichActionsAreStillAhead() {
        EvalSet.Scene scene = evalSet.scenes().get(0);
        double now = NOW.getEpochSecond() + NOW.getNano() / 1e9;

        JsonNode late = ok(infer("image", b64(scene.imageBytes()), "instruction", scene.instruction(),
                "return", "chunk", "observation_time", now - 0.25));
        double[][] actions = matrix(late.get("actions"));
        assertThat(actions.length).isGreaterThanOrEqualTo(1);
        assertThat(actions[0]).containsExactly(doubles(late.at("/action/values")));
        assertThat(late.get("t0").asDouble()).isCloseTo(now - 0.25, within(1e-6));
        assertThat(late.get("dt").asDouble()).isCloseTo(0.1, within(1e-12));
        assertThat(late.get("valid_from").asInt()).as("0.25 s late at 10 Hz: actions 0-2 passed").isEqualTo(Math.min(3, actions.length));
        assertThat(late.get("deadline_missed").asBoolean()).isTrue();

        JsonNode onTime = ok(infer("image", b64(scene.imageBytes()), "instruction", scene.instruction(), "return", "chunk"));
        assertThat(onTime.get("t0").asDouble()).as("absent: the arrival time").isCloseTo(now, within(1e-6));
        assertThat(onTime.get("valid_from").asInt()).isZero();
        assertThat(onTime.get("deadline_missed").asBoolean()).isFalse();
        assertThat(matrix(onTime.get("actions"))).isDeepEqualTo(actions);

        Map<String, Object> row = awaitRow(UUID.fromString(late.get("request_id").asString()));
        assertEquals(200, row.get("status_code"));
        assertEquals(scene.instruction(), row.get("instruction"));
    }

    @Test
    void aSingleActionAnswerHasNoChunkFields() {
        EvalSet.Scene scene = evalSet.scenes().get(0);

        JsonNode answer = ok(infer("image", b64(scene.imageBytes()), "instruction", scene.instruction()));

        assertThat(answer.has("actions")).isFalse();
        assertThat(answer.has("valid_from")).isFalse();
    }

    @Test
    void theChunkIsResampledToTheRobotsRateAndCrossFadedIntoThePreviousTail() {
        EvalSet.Scene scene = evalSet.scenes().get(2);
        double[][] atModelRate = matrix(ok(infer("image", b64(scene.imageBytes()), "instruction", scene.instruction(),
                "return", "chunk")).get("actions"));

        JsonNode fast = ok(infer("image", b64(scene.imageBytes()), "instruction", scene.instruction(),
                "return", "chunk", "control_hz", 20));
        double[][] twice = matrix(fast.get("actions"));
        assertThat(twice).hasNumberOfRows(2 * atModelRate.length);
        assertThat(fast.get("dt").asDouble()).isCloseTo(0.05, within(1e-12));
        assertThat(twice[0][0] + twice[1][0]).as("two half steps make the model's step").isCloseTo(atModelRate[0][0], within(1e-9));

        double[] stop = new double[atModelRate[0].length];
        double[][] blended = matrix(ok(infer("image", b64(scene.imageBytes()), "instruction", scene.instruction(),
                "return", "chunk", "previous_tail", List.of(stop))).get("actions"));
        for (int d = 0; d < stop.length; d++) {
            assertThat(blended[0][d]).as("dimension %d: halfway from the old plan to the new", d)
                    .isCloseTo(0.5 * atModelRate[0][d], within(1e-9));
        }
    }

    @Test
    void imagesByCameraNameAreTheSameAsImage() {
        EvalSet.Scene scene = evalSet.scenes().get(3);
        String png = b64(scene.imageBytes());

        JsonNode byCamera = ok(infer("images", Map.of("primary", png), "instruction", scene.instruction()));
        JsonNode plain = ok(infer("image", png, "instruction", scene.instruction()));

        assertThat(doubles(byCamera.at("/action/values"))).containsExactly(doubles(plain.at("/action/values")));
    }

    @Test
    void badControlLoopFieldsGetAClearErrorBeforeTheModelRuns() {
        String png = b64(evalSet.scenes().get(0).imageBytes());
        double now = NOW.getEpochSecond();
        List<String> bodies = List.of(
                body("image", png, "instruction", "go", "return", "actions"),
                body("image", png, "instruction", "go", "observation_time", now),
                body("image", png, "instruction", "go", "return", "chunk", "observation_time", now + 60),
                body("image", png, "instruction", "go", "return", "chunk", "observation_time", -1),
                body("image", png, "instruction", "go", "return", "chunk", "control_hz", 0),
                body("image", png, "instruction", "go", "return", "chunk", "control_hz", 1000),
                body("image", png, "instruction", "go", "return", "chunk", "previous_tail", List.of(List.of(1, 2))),
                body("image", png, "images", Map.of("primary", png), "instruction", "go"),
                body("images", Map.of("wrist", png), "instruction", "go"));
        for (String request : bodies) {
            Response response = gateway.send(gateway.jsonRequest("POST", "/v1/inference", request));
            assertEquals(400, response.status(), request.substring(0, Math.min(200, request.length())));
            assertEquals("invalid_field_value", response.json().at("/error/code").asString(), response.body());
            assertThat(response.json().at("/error/message").asString()).containsAnyOf("'return'", "'observation_time'",
                    "'control_hz'", "'previous_tail'", "'images'", "'image'");
        }
        Response noPrimary = gateway.send(gateway.jsonRequest("POST", "/v1/inference", body("images", Map.of(), "instruction", "go")));
        assertEquals("missing_image", noPrimary.json().at("/error/code").asString(), noPrimary.body());
    }

    @Test
    void openVlasActTakesAJsonNumpyImageAndAnswersAJsonNumpyActionLoggedLikeAnyRequest() throws IOException {
        EvalSet.Scene scene = evalSet.scenes().get(4);
        double[] expected = doubles(ok(infer("image", b64(scene.imageBytes()), "instruction", scene.instruction()))
                .at("/action/values"));
        Map<String, Object> image = jsonNumpyRgb(scene.imageBytes());

        Response plain = gateway.send(gateway.jsonRequest("POST", "/act", body("image", image, "instruction", scene.instruction())));
        assertEquals(200, plain.status(), plain.body());
        JsonNode action = plain.json();
        assertEquals("<f8", action.get("dtype").asString());
        assertEquals(List.of(7), List.of(action.get("shape").get(0).asInt()));
        assertThat(float64(action.get("__numpy__").asString())).as("PNG is lossless: the same pixels, the same action")
                .containsExactly(expected, within(1e-12));
        UUID requestId = UUID.fromString(plain.headers().firstValue("X-Request-Id").orElseThrow());
        assertEquals(scene.instruction(), awaitRow(requestId).get("instruction"));

        String inner = body("image", image, "instruction", scene.instruction());
        Response encoded = gateway.send(gateway.jsonRequest("POST", "/act", body("encoded", inner)));
        assertEquals(200, encoded.status(), encoded.body());
        JsonNode twice = JSON.readTree(encoded.json().asString());
        assertThat(float64(twice.get("__numpy__").asString())).containsExactly(expected, within(1e-12));

        Map<String, Object> floats = Map.of("__numpy__", image.get("__numpy__"), "dtype", "<f4", "shape", image.get("shape"));
        Response wrongType = gateway.send(gateway.jsonRequest("POST", "/act", body("image", floats, "instruction", "go")));
        assertEquals(400, wrongType.status(), wrongType.body());
        assertThat(wrongType.json().at("/error/message").asString()).contains("uint8");
    }

    private JsonNode ok(String request) {
        Response response = gateway.send(gateway.jsonRequest("POST", "/v1/inference", request));
        assertEquals(200, response.status(), response.body());
        return response.json();
    }

    private static String infer(Object... fields) {
        return body(fields);
    }

    private static Map<String, Object> jsonNumpyRgb(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        byte[] rgb = new byte[image.getWidth() * image.getHeight() * 3];
        int i = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int pixel = image.getRGB(x, y);
                rgb[i++] = (byte) (pixel >> 16);
                rgb[i++] = (byte) (pixel >> 8);
                rgb[i++] = (byte) pixel;
            }
        }
        return Map.of("__numpy__", Base64.getEncoder().encodeToString(rgb), "dtype", "|u1",
                "shape", List.of(image.getHeight(), image.getWidth(), 3));
    }

    private static double[] float64(String base64) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        double[] values = new double[bytes.remaining() / Double.BYTES];
        for (int i = 0; i < values.length; i++) {
            values[i] = bytes.getDouble();
        }
        return values;
    }

    private Map<String, Object> awaitRow(UUID requestId) {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> db.queryForList("SELECT * FROM inference.inference_logs WHERE request_id = ?", requestId),
                        rows -> !rows.isEmpty())
                .get(0);
    }

    private static double[][] matrix(JsonNode rows) {
        double[][] values = new double[rows.size()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = doubles(rows.get(i));
        }
        return values;
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
