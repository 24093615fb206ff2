package com.vlaapi.inference.model;

import com.vlaapi.modelrunner.RunnerConfig;
import com.vlaapi.modelrunner.batching.BatchingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code vla.model.*}: mirrors model-runner's {@link RunnerConfig}. application.yml maps each field
 * to the same {@code VLA_*} variable model-runner's own tools read, so operators learn one set.
 *
 * @param modelsDir           directory of model bundles; blank: the nearest {@code reference-policy/bundles}
 *                            at or above the working directory, so a checkout runs without settings
 * @param defaultModel        model for requests that name none; blank: the first bundle
 * @param device              {@code cpu} or {@code gpu}
 * @param torchThreads        PyTorch intra-op threads; 0 leaves PyTorch's default
 * @param torchInteropThreads PyTorch inter-op threads; 0 leaves PyTorch's default
 */
@ConfigurationProperties("vla.model")
public record ModelProperties(
        String modelsDir,
        String defaultModel,
        String device,
        int torchThreads,
        int torchInteropThreads,
        int maxBatchSize,
        Duration maxBatchDelay,
        int queueCapacity,
        int workers,
        int maxImageBytes,
        long maxImagePixels,
        int maxInstructionChars) {

    static final String CHECKOUT_BUNDLES = "reference-policy/bundles";

    RunnerConfig toRunnerConfig(Path workingDirectory) {
        return new RunnerConfig(resolveModelsDir(workingDirectory), blankToNull(defaultModel), device,
                torchThreads, torchInteropThreads,
                new BatchingConfig(maxBatchSize, maxBatchDelay, queueCapacity, workers),
                maxImageBytes, maxImagePixels, maxInstructionChars);
    }

    private Path resolveModelsDir(Path workingDirectory) {
        if (modelsDir != null && !modelsDir.isBlank()) {
            return Path.of(modelsDir);
        }
        // Services start from the repository root (bin/vla) or from their module (mvn test).
        for (Path dir = workingDirectory.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(CHECKOUT_BUNDLES))) {
                return dir.resolve(CHECKOUT_BUNDLES);
            }
        }
        throw new IllegalStateException("no " + CHECKOUT_BUNDLES + " directory at or above "
                + workingDirectory.toAbsolutePath() + "; set VLA_MODELS_DIR to the directory of model bundles");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
