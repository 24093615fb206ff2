package com.vlaapi.servicecontract.settings;

import static com.vlaapi.testsupport.settings.SettingsContext.environmentVariables;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class RedisPropertiesTest {

    @Configuration
    @EnableConfigurationProperties(RedisProperties.class)
    static class BindRedis {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(BindRedis.class);

    @Test
    void theGatewayAndCustomerServiceAgreeOnTheNamesByDefault() {
        context.run(started -> {
            RedisProperties redis = started.getBean(RedisProperties.class);

            assertThat(redis.keyEventsChannel()).isEqualTo("vla:key-events");
            assertThat(redis.apiKeyCacheKey("ab12")).isEqualTo("vla:apikey:ab12");
            assertThat(redis.getStandalone().getHost()).isEqualTo("127.0.0.1");
            assertThat(redis.getStandalone().getPort()).isEqualTo(6379);
        });
    }

    @Test
    void theEnvironmentSetsWhereRedisIsAndThePrefix() {
        Map<String, Object> environment = Map.of("VLA_REDIS_HOST", "cache.internal", "VLA_REDIS_PORT", "6380",
                "VLA_REDIS_PREFIX", "staging:");
        context.withInitializer(environmentVariables(environment))
                .run(started -> {
                    RedisProperties redis = started.getBean(RedisProperties.class);

                    assertThat(redis.keyEventsChannel()).isEqualTo("staging:key-events");
                    assertThat(redis.getStandalone().getHost()).isEqualTo("cache.internal");
                    assertThat(redis.getStandalone().getPort()).isEqualTo(6380);
                });
    }
}
