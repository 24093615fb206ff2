package com.vlaapi.modelrunner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.testsupport.repo.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A bundle exported before action chunks (model.pt takes no state and returns one action, the
 * manifest has no chunk_length, input.state or units) still serves: a chunk of one, no state.
 */
class SingleActionBundleTest {

    private static final Path MODELS = RepoPaths.root().resolve("model-runner/src/test/resources/single-action-models");

    @Test
    void servesAChunkOfOneAndRefusesAState() throws IOException {
        byte[] png = Files.readAllBytes(RepoPaths.evalSet().resolve("images/0001.png"));
        try (ModelRunner runner = ModelRunner.start(RunnerConfig.defaults(MODELS))) {
            Prediction p = runner.predict(new InferenceRequest(null, png, "go to the purple tube", null));
            assertEquals("1.0.0", p.modelVersion());
            assertEquals(1, p.chunk().length);
            assertEquals(7, p.action().length);
            assertSame(p.chunk()[0], p.action());
            InvalidStateException e = assertThrows(InvalidStateException.class, () -> runner.predict(
                    new InferenceRequest(null, png, "go to the purple tube", null, new double[] {0.1, 0.2, 0.1})));
            assertTrue(e.getMessage().contains("takes no state"), e.getMessage());
        }
    }
}
