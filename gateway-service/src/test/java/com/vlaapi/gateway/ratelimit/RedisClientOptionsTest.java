package com.vlaapi.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** RedisClientOptions adds to Spring Boot's Lettuce client options; those from application.yml stay. */
class RedisClientOptionsTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
            .withUserConfiguration(RedisClientOptions.class)
            .withPropertyValues("spring.data.redis.connect-timeout=100ms");

    @Test
    void commandsFailAtOnceWhileDisconnectedAndSpringsConnectTimeoutStillApplies() {
        context.run(gateway -> {
            ClientOptions options = gateway.getBean(LettuceConnectionFactory.class).getClientConfiguration()
                    .getClientOptions().orElseThrow();
            assertThat(options.getDisconnectedBehavior()).isEqualTo(DisconnectedBehavior.REJECT_COMMANDS);
            assertThat(options.isAutoReconnect()).isTrue();
            assertThat(options.getSocketOptions().getConnectTimeout()).isEqualTo(Duration.ofMillis(100));
        });
    }
}
