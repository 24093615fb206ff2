package com.vlaapi.inference.model;

import com.vlaapi.modelrunner.InferenceRequest;
import com.vlaapi.modelrunner.ModelRunner;
import com.vlaapi.modelrunner.RunnerConfig;
import com.vlaapi.modelrunner.bundle.ModelManifest;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The model settings are model-runner's own record ({@code vla.model.*}), which its command-line tools read too. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RunnerConfig.class)
class ModelRunnerConfiguration {

    private static final String CHECKOUT_BUNDLES = "reference-policy/bundles";

    /**
     * Loads every bundle at start-up, so a broken bundle stops the service before it takes traffic.
     * Destroy methods run after the web server's graceful shutdown, so {@code close()} (which also
     * finishes queued batches) never cuts off an in-flight request.
     */
    @Bean(destroyMethod = "close")
    ModelRunner modelRunner(RunnerConfig config, ModelsDirectory bundles) {
        ModelRunner runner = ModelRunner.start(config.withModelsDir(bundles.path()));
        try {
            runner.manifests().values().forEach(manifest -> warmUp(runner, manifest));
        } catch (RuntimeException e) {
            runner.close();
            throw e;
        }
        return runner;
    }

    @Bean
    ModelsDirectory modelsDirectory(RunnerConfig config) {
        return new ModelsDirectory(config.modelsDir() != null ? config.modelsDir() : checkoutBundles(Path.of("")));
    }

    /**
     * Without {@code vla.model.models-dir}: the nearest {@code reference-policy/bundles} at or above the
     * working directory, so a checkout runs without settings. Services start from the repository
     * root (bin/vla) or from their module (mvn test).
     */
    private static Path checkoutBundles(Path workingDirectory) {
        for (Path dir = workingDirectory.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(CHECKOUT_BUNDLES))) {
                return dir.resolve(CHECKOUT_BUNDLES);
            }
        }
        throw new IllegalStateException("no " + CHECKOUT_BUNDLES + " directory at or above "
                + workingDirectory.toAbsolutePath() + "; set vla.model.models-dir (VLA_MODEL_MODELS_DIR)"
                + " to the directory of model bundles");
    }

    /**
     * Per model: that it is loaded, and which version (the "model not loaded" alert and the
     * dashboards' version panel), and the requests waiting for a forward pass, the first sign that
     * a model needs more capacity.
     */
    @Bean
    MeterBinder modelMetrics(ModelRunner runner) {
        return registry -> runner.manifests().forEach((model, manifest) -> {
            Gauge.builder("vla.model.loaded", () -> 1)
                    .description("1 for each model this instance serves, by name and version")
                    .tags("model", model, "version", manifest.version())
                    .register(registry);
            Gauge.builder("vla.model.queue_depth", runner, r -> r.queueDepths().getOrDefault(model, 0))
                    .description("Requests waiting for a forward pass")
                    .tag("model", model)
                    .register(registry);
        });
    }

    /** A TorchScript model's first forward pass is about half a second slower; pay it before traffic. */
    private static void warmUp(ModelRunner runner, ModelManifest manifest) {
        BufferedImage blank = new BufferedImage(manifest.image().width(), manifest.image().height(),
                BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(blank, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        runner.predict(new InferenceRequest(manifest.name(), png.toByteArray(), "warm up", null));
    }
}
