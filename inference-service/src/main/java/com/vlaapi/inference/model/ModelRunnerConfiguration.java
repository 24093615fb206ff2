package com.vlaapi.inference.model;

import com.vlaapi.modelrunner.InferenceRequest;
import com.vlaapi.modelrunner.ModelRunner;
import com.vlaapi.modelrunner.bundle.ModelManifest;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ModelRunnerConfiguration {

    /**
     * Loads every bundle at start-up, so a broken bundle stops the service before it takes traffic.
     * Destroy methods run after the web server's graceful shutdown, so {@code close()} (which also
     * finishes queued batches) never cuts off an in-flight request.
     */
    @Bean(destroyMethod = "close")
    ModelRunner modelRunner(ModelProperties properties) {
        ModelRunner runner = ModelRunner.start(properties.toRunnerConfig(Path.of("")));
        try {
            runner.manifests().values().forEach(manifest -> warmUp(runner, manifest));
        } catch (RuntimeException e) {
            runner.close();
            throw e;
        }
        return runner;
    }

    /** Requests waiting for a forward pass, per model: the first sign that a model needs more capacity. */
    @Bean
    MeterBinder modelQueueDepth(ModelRunner runner) {
        return registry -> runner.manifests().keySet().forEach(model ->
                Gauge.builder("vla.model.queue_depth", runner, r -> r.queueDepths().getOrDefault(model, 0))
                        .description("Requests waiting for a forward pass")
                        .tag("model", model)
                        .register(registry));
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
