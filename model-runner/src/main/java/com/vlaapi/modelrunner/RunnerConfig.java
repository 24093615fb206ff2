package com.vlaapi.modelrunner;

import com.vlaapi.modelrunner.batching.BatchingConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything the runner needs, with defaults that work on a laptop. {@link #fromEnvironment(Path)}
 * reads the {@code VLA_*} variables listed in model-runner/README.md.
 *
 * @param modelsDir      directory holding one bundle directory per model
 * @param defaultModel   model used when a request names none ({@code null}: the only/first one)
 * @param device         {@code cpu} or {@code gpu} (needs the cuda Maven profile)
 * @param intraOpThreads PyTorch threads inside one operator; 0 leaves PyTorch's default
 * @param interOpThreads PyTorch threads across operators; 0 leaves PyTorch's default
 */
public record RunnerConfig(
        Path modelsDir,
        String defaultModel,
        String device,
        int intraOpThreads,
        int interOpThreads,
        BatchingConfig batching,
        int maxImageBytes,
        long maxImagePixels,
        int maxInstructionChars) {

    public static final int DEFAULT_MAX_IMAGE_BYTES = 8 * 1024 * 1024;
    public static final long DEFAULT_MAX_IMAGE_PIXELS = 4096L * 4096L;
    public static final int DEFAULT_MAX_INSTRUCTION_CHARS = 512;

    public static RunnerConfig defaults(Path modelsDir) {
        return new RunnerConfig(modelsDir, null, "cpu", 0, 0, BatchingConfig.defaults(),
                DEFAULT_MAX_IMAGE_BYTES, DEFAULT_MAX_IMAGE_PIXELS, DEFAULT_MAX_INSTRUCTION_CHARS);
    }

    /**
     * @param modelsDirWhenUnset the caller's own bundles, used when {@code VLA_MODELS_DIR} is unset:
     *                           the library knows no place where models live
     */
    public static RunnerConfig fromEnvironment(Path modelsDirWhenUnset) {
        return fromEnvironment(System.getenv(), modelsDirWhenUnset);
    }

    static RunnerConfig fromEnvironment(Map<String, String> env, Path modelsDirWhenUnset) {
        BatchingConfig b = BatchingConfig.defaults();
        String modelsDir = env.get("VLA_MODELS_DIR");
        return new RunnerConfig(
                modelsDir != null ? Path.of(modelsDir) : modelsDirWhenUnset,
                env.get("VLA_DEFAULT_MODEL"),
                env.getOrDefault("VLA_DEVICE", "cpu"),
                Integer.parseInt(env.getOrDefault("VLA_TORCH_THREADS", "0")),
                Integer.parseInt(env.getOrDefault("VLA_TORCH_INTEROP_THREADS", "0")),
                new BatchingConfig(
                        Integer.parseInt(env.getOrDefault("VLA_MAX_BATCH_SIZE", String.valueOf(b.maxBatchSize()))),
                        Duration.ofMillis(Long.parseLong(env.getOrDefault("VLA_MAX_BATCH_DELAY_MS",
                                String.valueOf(b.maxBatchDelay().toMillis())))),
                        Integer.parseInt(env.getOrDefault("VLA_QUEUE_CAPACITY", String.valueOf(b.queueCapacity()))),
                        Integer.parseInt(env.getOrDefault("VLA_WORKERS", String.valueOf(b.workers())))),
                Integer.parseInt(env.getOrDefault("VLA_MAX_IMAGE_BYTES", String.valueOf(DEFAULT_MAX_IMAGE_BYTES))),
                Long.parseLong(env.getOrDefault("VLA_MAX_IMAGE_PIXELS", String.valueOf(DEFAULT_MAX_IMAGE_PIXELS))),
                Integer.parseInt(env.getOrDefault("VLA_MAX_INSTRUCTION_CHARS",
                        String.valueOf(DEFAULT_MAX_INSTRUCTION_CHARS))));
    }

    public RunnerConfig withBatching(BatchingConfig newBatching) {
        return new RunnerConfig(modelsDir, defaultModel, device, intraOpThreads, interOpThreads, newBatching,
                maxImageBytes, maxImagePixels, maxInstructionChars);
    }
}
