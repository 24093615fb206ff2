package com.vlaapi.modelrunner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.modelrunner.batching.BatchingConfig;
import com.vlaapi.testsupport.repo.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The reference model's chunk of actions and its optional gripper state, one request at a time and batched. */
class ChunkAndStateTest {

    private static final String INSTRUCTION = "go to the purple tube";
    private static final double[] STATE = {0.3, 0.3, 0.12};
    private static ModelRunner runner;
    private static byte[] png;

    @BeforeAll
    static void start() throws IOException {
        runner = ModelRunner.start(RunnerConfig.defaults(RepoPaths.referenceBundles())
                .withBatching(new BatchingConfig(1, Duration.ZERO, 64, 1)));
        png = Files.readAllBytes(RepoPaths.evalSet().resolve("images/0001.png"));
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    private static Prediction predict(double[] state) {
        return runner.predict(new InferenceRequest(null, png, INSTRUCTION, null, state));
    }

    @Test
    void aChunkOfEightActionsWhoseFirstIsTheAction() {
        Prediction p = predict(null);
        assertEquals(8, p.chunk().length);
        for (double[] step : p.chunk()) {
            assertEquals(7, step.length);
        }
        assertSame(p.chunk()[0], p.action());
    }

    @Test
    void everyStepIsDenormalisedWithTheRequestedKey() {
        Prediction metres = predict(null);
        Prediction centimetres = runner.predict(new InferenceRequest(null, png, INSTRUCTION, "tabletop_sim_cm"));
        for (int k = 0; k < 8; k++) {
            assertEquals(metres.chunk()[k][0] * 100, centimetres.chunk()[k][0], 1e-4, "step " + k);
            assertEquals(metres.chunk()[k][6], centimetres.chunk()[k][6], 1e-9, "gripper of step " + k);
        }
    }

    @Test
    void theStateReachesTheModel() {
        assertFalse(Arrays.deepEquals(predict(null).chunk(), predict(STATE).chunk()));
    }

    @Test
    void aStateOfTheWrongLengthIsRefusedNamingTheModelsState() {
        InvalidStateException e = assertThrows(InvalidStateException.class, () -> predict(new double[] {0.3, 0.3}));
        assertEquals("invalid_state", e.code());
        assertTrue(e.getMessage().contains("[x, y, z]"), e.getMessage());
        assertThrows(InvalidStateException.class, () -> predict(new double[0]));
    }

    @Test
    void aStateThatIsNotFiniteIsRefused() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, 1e300}) {
            InvalidStateException e = assertThrows(InvalidStateException.class, () -> predict(new double[] {0.3, bad, 0.1}));
            assertTrue(e.getMessage().contains("state[1] (y)"), e.getMessage());
        }
    }

    @Test
    void requestsWithAndWithoutStateShareABatchAndGetWhatTheyGetAlone() {
        List<double[]> states = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            states.add(i % 2 == 0 ? null : new double[] {0.05 * i, 0.5 - 0.03 * i, 0.06 + 0.005 * i});
        }
        List<double[][]> alone = states.stream().map(s -> predict(s).chunk()).toList();
        try (ModelRunner batching = ModelRunner.start(RunnerConfig.defaults(RepoPaths.referenceBundles())
                .withBatching(new BatchingConfig(16, Duration.ofMillis(200), 64, 1)))) {
            List<CompletableFuture<Prediction>> pending = states.stream()
                    .map(s -> batching.submit(new InferenceRequest(null, png, INSTRUCTION, null, s))).toList();
            List<Prediction> batched = pending.stream().map(CompletableFuture::join).toList();
            assertTrue(batched.stream().anyMatch(p -> p.timings().batchSize() > 1), "some requests rode together");
            for (int i = 0; i < states.size(); i++) {
                for (int k = 0; k < 8; k++) {
                    assertArrayEquals(alone.get(i)[k], batched.get(i).chunk()[k], 1e-5, "request " + i + " step " + k);
                }
            }
        }
    }
}
