package com.vlaapi.inference.model;

import static com.vlaapi.testsupport.settings.SettingsContext.environmentVariables;
import static com.vlaapi.testsupport.settings.SettingsContext.withApplicationYml;
import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.modelrunner.RunnerConfig;
import com.vlaapi.modelrunner.batching.BatchingConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The service reads model-runner's own record: the variables and defaults of bin/vla eval and predict. */
class ModelSettingsTest {

    @Configuration
    @EnableConfigurationProperties(RunnerConfig.class)
    static class BindModelSettings {
    }

    private final ApplicationContextRunner context = withApplicationYml(BindModelSettings.class);

    @Test
    void defaultsAreModelRunnersOwn() {
        context.run(started -> assertThat(started.getBean(RunnerConfig.class)).isEqualTo(RunnerConfig.defaults(null)));
    }

    @Test
    void readsTheSameVariablesAsTheCommandLineTools() {
        Map<String, Object> environment = Map.of(
                "VLA_MODEL_MODELS_DIR", "/srv/models",
                "VLA_MODEL_INTRA_OP_THREADS", "3",
                "VLA_MODEL_BATCHING_MAX_BATCH_DELAY", "7ms");
        context.withInitializer(environmentVariables(environment))
                .run(started -> {
                    RunnerConfig config = started.getBean(RunnerConfig.class);
                    assertThat(config.modelsDir()).isEqualTo(Path.of("/srv/models"));
                    assertThat(config.intraOpThreads()).isEqualTo(3);
                    assertThat(config.batching()).isEqualTo(new BatchingConfig(32, Duration.ofMillis(7), 256, 1));
                });
    }
}
