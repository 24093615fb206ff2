package com.vlaapi.referencepolicy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.modelrunner.InferenceRequest;
import com.vlaapi.modelrunner.ModelRunner;
import com.vlaapi.modelrunner.Prediction;
import com.vlaapi.modelrunner.RunnerConfig;
import com.vlaapi.modelrunner.bundle.ManifestReader;
import com.vlaapi.modelrunner.bundle.ModelManifest;
import com.vlaapi.modelrunner.image.DecodeSlots;
import com.vlaapi.modelrunner.image.DecodingConfig;
import com.vlaapi.modelrunner.image.ImageDecoder;
import com.vlaapi.modelrunner.image.ImagePreprocessor;
import com.vlaapi.modelrunner.image.TriangleResizer;
import com.vlaapi.modelrunner.text.WordTokenizer;
import com.vlaapi.referencepolicy.eval.EvalSet;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The Python evaluation wrote, for the first held-out scenes, its input tensors and the exported
 * model's outputs: the whole chunk and the embedding, every other scene with the gripper state
 * (vla_train.evaluate --write-parity). Java must reproduce them.
 */
class PythonParityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final EvalSet set = EvalSet.read(ReferencePolicyFiles.EVAL_SET);
    private final Path parity = ReferencePolicyFiles.EVAL_SET.resolve("parity");

    @Test
    void javaPreprocessingReproducesPythonInputTensorsWithinOneLevelPerPixel() throws IOException {
        ModelManifest manifest = ManifestReader.read(ReferencePolicyFiles.BUNDLE);
        ImagePreprocessor preprocessor = new ImagePreprocessor(
                new ImageDecoder(RunnerConfig.DEFAULT_MAX_IMAGE_BYTES, RunnerConfig.DEFAULT_MAX_IMAGE_PIXELS,
                        RunnerConfig.DEFAULT_MAX_IMAGE_SIDE),
                new TriangleResizer(), new DecodeSlots(new DecodingConfig(1, Duration.ofSeconds(1))), manifest.image());
        List<Path> tensors;
        try (var files = Files.list(parity)) {
            tensors = files.filter(p -> p.getFileName().toString().endsWith(".input.f32")).sorted().toList();
        }
        assertTrue(tensors.size() >= 4, "parity tensors missing in " + parity);
        int plane = manifest.image().width() * manifest.image().height();
        double worst = 0;
        for (Path file : tensors) {
            int id = Integer.parseInt(file.getFileName().toString().substring(0, 4));
            float[] python = readFloats(file);
            float[] java = preprocessor.toInputTensor(set.scenes().get(id).imageBytes()).values();
            assertEquals(python.length, java.length);
            for (int i = 0; i < java.length; i++) {
                // Back to 0-255 pixel units: |difference| * std * scale.
                double levels = Math.abs(java[i] - python[i]) * manifest.image().std()[i / plane] * manifest.image().scale();
                worst = Math.max(worst, levels);
            }
        }
        System.out.printf("preprocessing parity: worst difference %.2e pixel levels%n", worst);
        assertTrue(worst <= 1.0, "preprocessing differs from Python by " + worst + " levels (limit 1/255)");
    }

    @Test
    void javaRunnerReproducesTheExportedModelsPythonChunksWithin1e4() throws IOException {
        ModelManifest manifest = ManifestReader.read(ReferencePolicyFiles.BUNDLE);
        WordTokenizer tokenizer = WordTokenizer.fromVocabFile(
                ReferencePolicyFiles.BUNDLE.resolve(manifest.tokenizer().vocabFile()), manifest.tokenizer().maxLength(), 512);
        List<String> rows = Files.readAllLines(parity.resolve("outputs.jsonl"));
        assertTrue(rows.size() >= 16, "need parity outputs for at least 16 scenes");
        double worst = 0;
        int withState = 0;
        try (ModelRunner runner = ModelRunner.start(RunnerConfig.defaults(ReferencePolicyFiles.BUNDLES))) {
            for (String line : rows) {
                JsonNode row = JSON.readTree(line);
                EvalSet.Scene scene = set.scenes().get(row.get("id").asInt());
                assertArrayEquals(longs(row.get("tokens")), tokenizer.encode(scene.instruction()), "tokens of " + scene.instruction());
                double[] state = row.get("state").isNull() ? null : doubles(row.get("state"));
                Prediction p = runner.predict(new InferenceRequest("tabletop-v1", scene.imageBytes(), scene.instruction(),
                        set.unnormKey(), state));
                JsonNode actions = row.get("actions");
                assertEquals(actions.size(), p.chunk().length, "chunk length");
                for (int k = 0; k < actions.size(); k++) {
                    worst = Math.max(worst, maxDiff(doubles(actions.get(k)), p.chunk()[k]));
                }
                withState += state == null ? 0 : 1;
                double[] embedding = new double[p.embedding().length];
                for (int i = 0; i < embedding.length; i++) {
                    embedding[i] = p.embedding()[i];
                }
                worst = Math.max(worst, maxDiff(doubles(row.get("embedding")), embedding));
            }
        }
        assertTrue(withState > 0 && withState < rows.size(), "parity rows cover requests with and without state");
        System.out.printf("model output parity (every chunk step, with and without state): worst difference %.2e%n", worst);
        assertTrue(worst <= 1e-4, "Java outputs differ from Python by " + worst);
    }

    private static double maxDiff(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        return worst;
    }

    private static float[] readFloats(Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[buffer.remaining() / 4];
        buffer.asFloatBuffer().get(values);
        return values;
    }

    private static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asDouble();
        }
        return values;
    }

    private static long[] longs(JsonNode array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asLong();
        }
        return values;
    }
}
