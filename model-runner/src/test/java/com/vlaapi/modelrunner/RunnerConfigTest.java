package com.vlaapi.modelrunner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.vlaapi.modelrunner.batching.BatchingConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunnerConfigTest {

    private static final Path CALLERS_BUNDLES = Path.of("callers/bundles");

    @Test
    void defaultsAreOneSetForTheServiceAndTheTools() {
        RunnerConfig config = RunnerConfig.defaults(CALLERS_BUNDLES);

        assertEquals(CALLERS_BUNDLES, config.modelsDir());
        assertNull(config.defaultModel());
        assertEquals("cpu", config.device());
        assertEquals(1, config.intraOpThreads());
        assertEquals(0, config.interOpThreads());
        assertEquals(new BatchingConfig(32, Duration.ofMillis(2), 256, 1), config.batching());
        assertEquals(8 * 1024 * 1024, config.maxImageBytes());
        assertEquals(4096L * 4096L, config.maxImagePixels());
        assertEquals(512, config.maxInstructionChars());
        assertEquals(config, RunnerConfig.fromEnvironment(Map.of("UNRELATED", "x"), CALLERS_BUNDLES));
    }

    @Test
    void readsTheVariablesSpringBootMapsToVlaModel() {
        RunnerConfig config = RunnerConfig.fromEnvironment(Map.of(
                "VLA_MODEL_MODELS_DIR", "/srv/models",
                "VLA_MODEL_DEFAULT_MODEL", "tabletop-v1",
                "VLA_MODEL_DEVICE", "gpu",
                "VLA_MODEL_INTRA_OP_THREADS", "3",
                "VLA_MODEL_BATCHING_MAX_BATCH_SIZE", "8",
                "VLA_MODEL_BATCHING_MAX_BATCH_DELAY", "7ms",
                "VLA_MODEL_MAX_INSTRUCTION_CHARS", "100"), CALLERS_BUNDLES);

        assertEquals(Path.of("/srv/models"), config.modelsDir());
        assertEquals("tabletop-v1", config.defaultModel());
        assertEquals("gpu", config.device());
        assertEquals(3, config.intraOpThreads());
        assertEquals(new BatchingConfig(8, Duration.ofMillis(7), 256, 1), config.batching());
        assertEquals(100, config.maxInstructionChars());
        assertEquals(8 * 1024 * 1024, config.maxImageBytes());
    }
}
