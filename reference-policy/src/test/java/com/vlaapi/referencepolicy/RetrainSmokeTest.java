package com.vlaapi.referencepolicy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.vlaapi.modelrunner.InferenceRequest;
import com.vlaapi.modelrunner.ModelRunner;
import com.vlaapi.modelrunner.Prediction;
import com.vlaapi.modelrunner.RunnerConfig;
import com.vlaapi.referencepolicy.eval.EvalSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * `bin/vla test` first runs `retrain.sh --smoke DIR` (a few training steps, export, Python
 * evaluation) and passes DIR/bundle here: the freshly exported model must load in Java and give
 * the same outputs as Python did.
 */
class RetrainSmokeTest {

    @Test
    void freshlyExportedBundleLoadsAndMatchesPython() throws IOException {
        String models = System.getProperty("vla.smoke.models");
        assumeTrue(models != null && !models.isBlank(), "run through `bin/vla test`, which trains the smoke bundle");
        Path smoke = Path.of(models).getParent();
        EvalSet set = EvalSet.read(smoke.resolve("evalset"));
        JsonNode expected = new ObjectMapper().readTree(
                Files.readAllLines(smoke.resolve("evalset/parity/outputs.jsonl")).get(0));
        EvalSet.Scene scene = set.scenes().get(expected.get("id").asInt());
        try (ModelRunner runner = ModelRunner.start(RunnerConfig.defaults(Path.of(models)))) {
            Prediction p = runner.predict(new InferenceRequest(null, scene.imageBytes(), scene.instruction(), set.unnormKey()));
            JsonNode chunk = expected.get("actions");
            assertEquals(chunk.size(), p.chunk().length, "chunk length");
            for (int k = 0; k < chunk.size(); k++) {
                assertEquals(7, p.chunk()[k].length);
                for (int i = 0; i < 7; i++) {
                    assertEquals(chunk.get(k).get(i).asDouble(), p.chunk()[k][i], 1e-4, "actions[" + k + "][" + i + "]");
                }
            }
            double norm = 0;
            for (float v : p.embedding()) {
                norm += v * v;
            }
            assertTrue(Math.abs(Math.sqrt(norm) - 1) < 1e-4, "embedding is L2-normalised");
        }
    }
}
