package com.vlaapi.gateway.ratelimit;

import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * While the connection to Redis is down, commands fail at once instead of queueing for the timeout.
 * Added to Spring Boot's client options, not in their place: those carry
 * {@code spring.data.redis.connect-timeout}.
 */
@Configuration(proxyBeanMethods = false)
class RedisClientOptions {

    @Bean
    LettuceClientOptionsBuilderCustomizer rejectCommandsWhileDisconnected() {
        return options -> options
                .disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS)
                .autoReconnect(true);
    }
}
