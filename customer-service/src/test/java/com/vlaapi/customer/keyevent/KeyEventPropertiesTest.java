package com.vlaapi.customer.keyevent;

import static com.vlaapi.testsupport.settings.SettingsContext.withApplicationYml;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class KeyEventPropertiesTest {

    @Configuration
    @EnableConfigurationProperties(KeyEventProperties.class)
    static class BindKeyEvents {
    }

    private final ApplicationContextRunner context = withApplicationYml(BindKeyEvents.class);

    @Test
    void retriesFiveTimesFromOneSecondByDefault() {
        context.run(started -> {
            KeyEventProperties keyEvents = started.getBean(KeyEventProperties.class);

            assertThat(keyEvents.retries()).isEqualTo(5);
            assertThat(keyEvents.retryDelay()).isEqualTo(Duration.ofSeconds(1));
        });
    }

    @Test
    void refusesUnboundedOrMissingRetrySettings() {
        context.withPropertyValues("vla.customer.key-events.retries=11").run(started -> assertThat(started).hasFailed());
        context.withPropertyValues("vla.customer.key-events.retries=-1").run(started -> assertThat(started).hasFailed());
        context.withPropertyValues("vla.customer.key-events.retry-delay=0s").run(started -> assertThat(started).hasFailed());
    }
}
