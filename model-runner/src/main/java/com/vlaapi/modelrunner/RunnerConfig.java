package com.vlaapi.modelrunner;

import com.vlaapi.modelrunner.batching.BatchingConfig;
import com.vlaapi.modelrunner.image.DecodingConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Everything the runner needs ({@code vla.model.*}), each setting with its one default.
 * inference-service binds it from its configuration; the command-line tools bind it from the
 * environment with {@link #fromEnvironment(Path)}, through the same Spring Boot binder, so both
 * read the same variables ({@code VLA_MODEL_DEVICE}, {@code VLA_MODEL_BATCHING_MAX_BATCH_SIZE}, ...;
 * docs/configuration.md lists them).
 *
 * @param modelsDir           directory holding one bundle directory per model; no default here: each
 *                            program knows where its own bundles are
 * @param defaultModel        model used when a request names none ({@code null}: the first one)
 * @param device              {@code cpu} or {@code gpu} (needs the cuda Maven profile)
 * @param intraOpThreads      PyTorch threads inside one operator; 0 leaves PyTorch's default (one per core)
 * @param interOpThreads      PyTorch threads across operators; 0 leaves PyTorch's default
 * @param maxImageBytes       largest encoded image accepted
 * @param maxImagePixels      largest image accepted, width times height, checked from the header before decoding
 * @param maxImageSide        longest side accepted, width or height, checked from the header too: a
 *                            16,777,216 x 1 image has few pixels but costs the resize as much as a huge one
 * @param maxInstructionChars longest instruction accepted
 * @param decoding            how many images are decoded and resized at once
 */
@ConfigurationProperties("vla.model")
public record RunnerConfig(
        Path modelsDir,
        String defaultModel,
        @DefaultValue("cpu") String device,
        @DefaultValue("1") int intraOpThreads,
        @DefaultValue("0") int interOpThreads,
        @DefaultValue BatchingConfig batching,
        @DefaultValue("" + DEFAULT_MAX_IMAGE_BYTES) int maxImageBytes,
        @DefaultValue("" + DEFAULT_MAX_IMAGE_PIXELS) long maxImagePixels,
        @DefaultValue("" + DEFAULT_MAX_IMAGE_SIDE) int maxImageSide,
        @DefaultValue("512") int maxInstructionChars,
        @DefaultValue DecodingConfig decoding) {

    /** Image limits by themselves, for code that decodes images without a runner. */
    public static final int DEFAULT_MAX_IMAGE_BYTES = 8 * 1024 * 1024;
    public static final long DEFAULT_MAX_IMAGE_PIXELS = 4096L * 4096L;
    public static final int DEFAULT_MAX_IMAGE_SIDE = 4096;

    private static final String PREFIX = RunnerConfig.class.getAnnotation(ConfigurationProperties.class).value();

    /** Every default, with the caller's bundles. */
    public static RunnerConfig defaults(Path modelsDir) {
        return fromEnvironment(Map.of(), modelsDir);
    }

    /**
     * @param modelsDirWhenUnset the caller's own bundles, used when {@code VLA_MODEL_MODELS_DIR} is unset
     */
    public static RunnerConfig fromEnvironment(Path modelsDirWhenUnset) {
        return fromEnvironment(System.getenv(), modelsDirWhenUnset);
    }

    static RunnerConfig fromEnvironment(Map<String, String> env, Path modelsDirWhenUnset) {
        // Named as the process environment, so the binder maps VLA_MODEL_* exactly as Spring Boot does.
        Binder binder = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new HashMap<>(env))));
        RunnerConfig config = binder.bindOrCreate(PREFIX, RunnerConfig.class);
        return config.modelsDir() != null ? config : config.withModelsDir(modelsDirWhenUnset);
    }

    public RunnerConfig withBatching(BatchingConfig newBatching) {
        return new RunnerConfig(modelsDir, defaultModel, device, intraOpThreads, interOpThreads, newBatching,
                maxImageBytes, maxImagePixels, maxImageSide, maxInstructionChars, decoding);
    }

    public RunnerConfig withModelsDir(Path dir) {
        return new RunnerConfig(dir, defaultModel, device, intraOpThreads, interOpThreads, batching,
                maxImageBytes, maxImagePixels, maxImageSide, maxInstructionChars, decoding);
    }
}
