package com.vlaapi.modelrunner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.vlaapi.modelrunner.batching.BatchingConfig;
import com.vlaapi.testsupport.repo.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Every batcher worker runs forward passes on the same loaded TorchScript model: concurrent
 * passes must not disturb each other. Batches of one, so the two runs compute the same kernels.
 */
class SharedModelWorkersTest {

    private static final int SCENES = 48;

    @Test
    void twoWorkersSharingTheModelGiveTheActionsOneWorkerGives() throws IOException {
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < SCENES; i++) {
            images.add(Files.readAllBytes(RepoPaths.evalSet().resolve("images/%04d.png".formatted(i))));
        }
        RunnerConfig defaults = RunnerConfig.defaults(RepoPaths.referenceBundles());
        List<double[]> alone = actions(defaults.withBatching(new BatchingConfig(1, Duration.ZERO, SCENES, 1)), images);
        List<double[]> shared = actions(defaults.withBatching(new BatchingConfig(1, Duration.ZERO, SCENES, 2)), images);
        assertEquals(SCENES, shared.size());
        for (int i = 0; i < SCENES; i++) {
            assertArrayEquals(alone.get(i), shared.get(i), 1e-6, "scene " + i);
        }
    }

    private static List<double[]> actions(RunnerConfig config, List<byte[]> images) {
        try (ModelRunner runner = ModelRunner.start(config)) {
            List<CompletableFuture<Prediction>> pending = images.stream()
                    .map(image -> runner.submit(new InferenceRequest(null, image, "go to the purple tube", null)))
                    .toList();
            return pending.stream().map(p -> p.join().action()).toList();
        }
    }
}
