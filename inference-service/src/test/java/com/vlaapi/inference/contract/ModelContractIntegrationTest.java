package com.vlaapi.inference.contract;

import static com.vlaapi.inference.support.JsonArrays.doubles;
import static com.vlaapi.inference.support.JsonArrays.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.vlaapi.inference.support.Gateway;
import com.vlaapi.inference.support.StandaloneApplication;
import com.vlaapi.modelrunner.bundle.ManifestReader;
import com.vlaapi.modelrunner.bundle.ModelManifest;
import com.vlaapi.referencepolicy.eval.EvalSet;
import com.vlaapi.testsupport.database.TestDatabase;
import com.vlaapi.testsupport.http.ApiClient;
import com.vlaapi.testsupport.http.ApiClient.Response;
import com.vlaapi.testsupport.repo.RepoPaths;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The models' contract and the parity check over real HTTP, with the real model and a database of
 * its own. The "offline copy" whose frames are checked is the Python evaluation's: the eval set's
 * parity outputs are the exported model's actions for the first held-out scenes, computed by the
 * training pipeline's own preprocessing.
 */
class ModelContractIntegrationTest {

    private static final String MODEL = "tabletop-v1";
    private static final String PARITY = "/v1/models/" + MODEL + "/parity";
    private static final int FRAMES = 16;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static TestDatabase database;
    private static ConfigurableApplicationContext application;
    private static ApiClient gateway;
    private static ApiClient withoutToken;
    private static final ModelManifest manifest = ManifestReader.read(RepoPaths.referenceBundle());
    private static final List<RecordedFrame> recorded = new ArrayList<>();

    /** A held-out scene, the state it was run with (or null) and the first action the Python pipeline computed for it. */
    private record RecordedFrame(byte[] png, String instruction, JsonNode state, JsonNode action) {
    }

    @BeforeAll
    static void start() throws IOException {
        EvalSet evalSet = EvalSet.read(RepoPaths.evalSet());
        for (String line : Files.readAllLines(RepoPaths.evalSet().resolve("parity/outputs.jsonl"))) {
            JsonNode output = JSON.readTree(line);
            EvalSet.Scene scene = evalSet.scenes().get(output.get("id").asInt());
            JsonNode state = output.get("state").isNull() ? null : output.get("state");
            recorded.add(new RecordedFrame(scene.imageBytes(), scene.instruction(), state, output.get("actions").get(0)));
        }
        assertThat(recorded).hasSizeGreaterThanOrEqualTo(FRAMES);
        database = TestDatabase.create("inference").withMigrationsOf("customer-service", "customer");
        application = StandaloneApplication.start(database, "--vla.inference.usage-relay.enabled=false",
                "--vla.inference.parity.max-concurrent=1");
        ApiClient service = ApiClient.onPort(Integer.parseInt(application.getEnvironment().getProperty("local.server.port")));
        gateway = Gateway.calling(service);
        withoutToken = service;
    }

    @AfterAll
    static void stop() {
        application.close();
        database.drop();
    }

    @Test
    void theContractIsTheBundlesManifest() {
        Response answer = gateway.get("/v1/models/" + MODEL);

        assertEquals(200, answer.status(), answer.body());
        JsonNode contract = answer.json();
        assertThat(contract.get("id").asString()).isEqualTo(MODEL);
        assertThat(contract.get("version").asString()).isEqualTo(manifest.version());
        assertThat(contract.get("description").asString()).isNotBlank();
        JsonNode camera = contract.at("/cameras/primary");
        assertThat(camera.get("width").asInt()).isEqualTo(manifest.image().width());
        assertThat(camera.get("height").asInt()).isEqualTo(manifest.image().height());
        assertThat(camera.get("channel_order").asString()).isEqualTo("RGB");
        assertThat(camera.get("resize").asString()).isEqualTo("triangle_antialias");
        assertThat(camera.get("resize_rule").asString()).contains("Image.BILINEAR");
        assertThat(camera.get("scale").asDouble()).isEqualTo(manifest.image().scale());
        assertThat(doubles(camera.get("mean"))).containsExactly(manifest.image().mean());
        assertThat(doubles(camera.get("std"))).containsExactly(manifest.image().std());
        assertThat(strings(camera.get("encodings"))).containsExactly("png", "jpeg");
        assertThat(contract.has("state")).isTrue();
        JsonNode action = contract.get("action");
        assertThat(strings(action.get("names"))).isEqualTo(manifest.action().names());
        assertThat(action.get("chunk_length").asInt()).isPositive();
        assertThat(action.get("control_rate_hz").asDouble()).isEqualTo(manifest.controlRateHz());
        assertThat(action.get("default_unnorm_key").asString()).isEqualTo(manifest.action().defaultUnnormKey());
        assertThat(contract.get("unnorm_keys").propertyNames()).containsExactlyElementsOf(manifest.action().unnorm().keySet());
        manifest.action().unnorm().forEach((key, stats) -> {
            JsonNode published = contract.at("/unnorm_keys/" + key);
            assertThat(published.get("description").asString()).as(key).isNotBlank();
            assertThat(published.has("units")).as(key).isTrue();
            assertThat(doubles(published.get("q01"))).as(key).containsExactly(stats.q01());
            assertThat(doubles(published.get("q99"))).as(key).containsExactly(stats.q99());
        });
        assertThat(contract.at("/tokenizer/max_words").asInt()).isEqualTo(manifest.tokenizer().maxLength());
        assertThat(contract.at("/links/parity").asString()).isEqualTo(PARITY);
    }

    @Test
    void theContractIsCacheableAndTheSameForEveryone() {
        Response first = gateway.get("/v1/models/" + MODEL);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).startsWith("\"" + manifest.version() + "-");
        assertThat(first.headers().firstValue("Cache-Control").orElseThrow()).contains("private", "max-age=300");

        Response another = gateway.withHeader("X-Vla-Customer-Id", "2d0c1f4e-5b6a-4c7d-8e9f-0a1b2c3d4e5f")
                .get("/v1/models/" + MODEL);
        assertThat(another.body()).isEqualTo(first.body());

        Response unchanged = gateway.send(gateway.request("/v1/models/" + MODEL).header("If-None-Match", etag).GET());
        assertEquals(304, unchanged.status());
        assertThat(unchanged.body()).isEmpty();
    }

    @Test
    void theListHasEveryModelsContractAndTheDefault() {
        Response list = gateway.get("/v1/models");

        assertEquals(200, list.status(), list.body());
        assertThat(list.json().get("default_model").asString()).isEqualTo(MODEL);
        assertThat(list.json().get("models")).hasSize(1);
        assertThat(list.json().at("/models/0")).isEqualTo(gateway.get("/v1/models/" + MODEL).json());
        assertThat(list.headers().firstValue("ETag")).isPresent();
    }

    @Test
    void anUnknownModelIsA404NamingTheModelsThereAre() {
        for (Response answer : List.of(gateway.get("/v1/models/tabletop-v9"),
                gateway.post("/v1/models/tabletop-v9/parity", parityBody(1, UnaryOperator.identity())))) {
            assertEquals(404, answer.status(), answer.body());
            assertThat(answer.errorType()).isEqualTo("not_found_error");
            assertThat(answer.errorCode()).isEqualTo("unknown_model");
            assertThat(answer.json().at("/error/message").asString()).contains("tabletop-v9", MODEL);
            assertThat(strings(answer.json().at("/error/details/models"))).containsExactly(MODEL);
        }
    }

    @Test
    void onlyTheGatewayMayAsk() {
        assertEquals(401, withoutToken.get("/v1/models").status());
        assertEquals(401, withoutToken.post(PARITY, parityBody(1, UnaryOperator.identity())).status());
    }

    @Test
    void framesOfTheReferencePipelineMatch() {
        Response answer = gateway.post(PARITY, parityBody(FRAMES, UnaryOperator.identity()));

        assertEquals(200, answer.status(), answer.body());
        JsonNode report = answer.json();
        assertThat(report.get("verdict").asString()).isEqualTo("match");
        assertThat(report.get("model").asString()).isEqualTo(MODEL);
        assertThat(report.get("model_version").asString()).isEqualTo(manifest.version());
        assertThat(report.get("frames")).hasSize(FRAMES);
        // PythonParityTest holds the runner to the exported model within 1e-4 in the action's units.
        assertThat(report.get("max_abs_diff").asDouble()).isLessThan(1e-4);
        assertThat(report.get("max_relative_diff").asDouble()).isLessThan(report.get("tolerance").asDouble() / 10);
        for (JsonNode frame : report.get("frames")) {
            assertThat(frame.get("verdict").asString()).isEqualTo("match");
            assertThat(frame.get("unnorm_key").asString()).isEqualTo(manifest.action().defaultUnnormKey());
            assertThat(frame.get("expected")).hasSize(1);
        }
    }

    /**
     * The same frames, resized by the client with nearest-neighbour sampling before they were sent
     * (LeRobot #2980's failure: an extra resize), while its offline copy read the originals.
     */
    @Test
    void framesResizedWithAnotherFilterFirstDoNotMatch() {
        int width = manifest.image().width();
        int height = manifest.image().height();
        Response answer = gateway.post(PARITY, parityBody(FRAMES, png -> nearestNeighbour(png, width, height)));

        assertEquals(200, answer.status(), answer.body());
        JsonNode report = answer.json();
        assertThat(report.get("verdict").asString()).isEqualTo("mismatch");
        // Measured on tabletop-v1 1.0.0: up to 8% of a step's range (dx's sign flipped), 9 frames of 16 over the
        // tolerance; the reference frames differ by 3e-7. Bounds below that, for a model trained to be robust to it.
        assertThat(report.get("max_relative_diff").asDouble()).isGreaterThan(2 * report.get("tolerance").asDouble());
        assertThat(report.findValues("verdict").stream().filter(v -> v.asString().equals("mismatch")).count())
                .as("frames that mismatch").isGreaterThanOrEqualTo(FRAMES / 4);
        JsonNode worst = report.get("worst");
        JsonNode worstFrame = report.at("/frames/" + worst.get("frame").asInt());
        assertThat(worstFrame.get("verdict").asString()).isEqualTo("mismatch");
        assertThat(worstFrame.get("max_relative_diff").asDouble()).isEqualTo(report.get("max_relative_diff").asDouble());
        assertThat(worst.get("dimension").asString()).isEqualTo(worstFrame.get("dimension").asString());
        assertThat(manifest.action().names()).contains(worst.get("dimension").asString());
    }

    @Test
    void aChunkIsComparedStepByStep() {
        String body = parityBody(1, UnaryOperator.identity());
        ObjectNode request = (ObjectNode) JSON.readTree(body);
        ObjectNode frame = (ObjectNode) request.at("/frames/0");
        ArrayNode chunk = JSON.createArrayNode();
        chunk.add(frame.remove("action"));
        frame.set("chunk", chunk);

        Response answer = gateway.post(PARITY, JSON.writeValueAsString(request));

        assertEquals(200, answer.status(), answer.body());
        assertThat(answer.json().get("verdict").asString()).isEqualTo("match");
        assertThat(answer.json().at("/worst/step").asInt()).isZero();
    }

    /** One check at a time here (max-concurrent=1): checks sent together are partly turned away, to retry. */
    @Test
    void checksBeyondTheInstancesBoundGetA503ToRetry() {
        String body = parityBody(FRAMES, UnaryOperator.identity());
        List<Response> refused = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<CompletableFuture<Response>> together = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                together.add(gateway.sendAsync(gateway.jsonRequest("POST", PARITY, body)));
            }
            for (CompletableFuture<Response> answer : together) {
                Response response = answer.join();
                assertThat(response.status()).as(response.body()).isIn(200, 503);
                if (response.status() == 503) {
                    refused.add(response);
                }
            }
            return !refused.isEmpty();
        });
        Response busy = refused.get(0);
        assertThat(busy.errorType()).isEqualTo("overloaded_error");
        assertThat(busy.errorCode()).isEqualTo("overloaded");
        assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
        assertEquals(200, gateway.post(PARITY, body).status(), "the bound is released after each check");
    }

    @Test
    void aParityCheckIsNeitherLoggedNorBilled() {
        assertEquals(200, gateway.post(PARITY, parityBody(4, UnaryOperator.identity())).status());
        assertEquals(400, gateway.post(PARITY, "{\"frames\": []}").status());
        assertEquals(200, gateway.get("/v1/models").status());
        RecordedFrame scene = recorded.get(0);
        Response inference = gateway.post("/v1/inference", Gateway.body("image",
                Base64.getEncoder().encodeToString(scene.png()), "instruction", scene.instruction()));
        assertEquals(200, inference.status(), inference.body());

        // The log is written in arrival order: once the inference's row is there, a parity row would be too.
        String requestId = inference.json().get("request_id").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> database.jdbc().queryForObject(
                "SELECT count(*) FROM inference.inference_logs WHERE request_id = ?::uuid", Long.class, requestId) == 1);
        assertThat(logged()).isEqualTo(1);
        assertThat(database.jdbc().queryForObject("SELECT count(*) FROM inference.usage_outbox", Long.class)).isEqualTo(1);
    }

    @Test
    void everyFieldIsValidatedAndNamed() {
        int dims = manifest.action().names().size();
        int chunkLength = gateway.get("/v1/models/" + MODEL).json().at("/action/chunk_length").asInt();
        Map<String, Consumer<ObjectNode>> frameEdits = Map.ofEntries(
                Map.entry("missing_image frames[0].image", f -> f.remove("image")),
                Map.entry("invalid_base64 frames[0].image", f -> f.put("image", "not base64!")),
                Map.entry("not_an_image frames[0]", f -> f.put("image", Base64.getEncoder().encodeToString(new byte[64]))),
                Map.entry("empty_instruction frames[0]", f -> f.put("instruction", " ")),
                Map.entry("unknown_unnorm_key frames[0]", f -> f.put("unnorm_key", "another_robot")),
                Map.entry("invalid_field_value frames[0]", f -> f.remove("action")),
                Map.entry("invalid_field_value frames[0] both", f -> f.set("chunk", JSON.createArrayNode().add(f.get("action")))),
                Map.entry("invalid_field_value frames[0].action", f -> f.set("action", JSON.createArrayNode().add(0.1))),
                Map.entry("invalid_field_value frames[0].action[2]", f -> ((ArrayNode) f.get("action")).set(2, JSON.nullNode())),
                Map.entry("invalid_field_value frames[0].chunk", f -> {
                    ArrayNode chunk = JSON.createArrayNode();
                    for (int step = 0; step <= chunkLength; step++) {
                        chunk.add(f.get("action"));
                    }
                    f.remove("action");
                    f.set("chunk", chunk);
                }),
                Map.entry("invalid_field_value frames[0].state", f -> {
                    ArrayNode state = JSON.createArrayNode();
                    for (int i = 0; i <= dims; i++) {
                        state.add(0.0);
                    }
                    f.set("state", state);
                }),
                Map.entry("unknown_field", f -> f.put("images", "x")),
                Map.entry("invalid_field_type", f -> f.put("instruction", 3)));
        frameEdits.forEach((expected, edit) -> {
            ObjectNode request = (ObjectNode) JSON.readTree(parityBody(2, UnaryOperator.identity()));
            edit.accept((ObjectNode) request.at("/frames/0"));
            Response answer = gateway.post(PARITY, JSON.writeValueAsString(request));
            String[] codeAndField = expected.split(" ");
            assertEquals(400, answer.status(), expected + ": " + answer.body());
            assertThat(answer.errorCode()).as(expected).isEqualTo(codeAndField[0]);
            if (codeAndField.length > 1) {
                assertThat(answer.json().at("/error/message").asString()).as(expected).contains(codeAndField[1]);
            }
        });

        Map<String, String> bodies = Map.of(
                "invalid_request_body", "[]",
                "invalid_json", "{\"frames\": [",
                "invalid_field_value", "{\"frames\": []}",
                "invalid_field_value ", "{}",
                "invalid_field_value  ", parityBody(FRAMES + 1, UnaryOperator.identity()));
        bodies.forEach((code, body) -> {
            Response answer = gateway.post(PARITY, body);
            assertEquals(400, answer.status(), code + ": " + answer.body());
            assertThat(answer.errorCode()).isEqualTo(code.strip());
            if (code.startsWith("invalid_field_value")) {
                assertThat(answer.json().at("/error/message").asString()).contains("'frames'");
            }
        });
    }

    private static long logged() {
        return database.jdbc().queryForObject("SELECT count(*) FROM inference.inference_logs", Long.class);
    }

    /** The first {@code count} recorded frames (reused past the eval set's), each image passed through {@code images}. */
    private static String parityBody(int count, UnaryOperator<byte[]> images) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode frames = body.putArray("frames");
        for (int i = 0; i < count; i++) {
            RecordedFrame frame = recorded.get(i % recorded.size());
            ObjectNode recordedFrame = frames.addObject()
                    .put("image", Base64.getEncoder().encodeToString(images.apply(frame.png())))
                    .put("instruction", frame.instruction());
            recordedFrame.set("action", frame.action());
            if (frame.state() != null) {
                recordedFrame.set("state", frame.state());
            }
        }
        return JSON.writeValueAsString(body);
    }

    private static byte[] nearestNeighbour(byte[] png, int width, int height) {
        try {
            BufferedImage original = ImageIO.read(new ByteArrayInputStream(png));
            BufferedImage resized = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            resized.getGraphics().drawImage(original.getScaledInstance(width, height, Image.SCALE_REPLICATE), 0, 0, null);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(resized, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
