package com.vlaapi.gateway.redis;

import io.lettuce.core.RedisURI;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Where and as whom the connection factory connects, for the connections the gateway opens itself
 * with Lettuce, so they reach the same Redis as the shared one: a standalone Redis, as
 * {@code vla.redis.*} configures it, with the factory's command timeout.
 */
final class RedisAddress {

    private RedisAddress() {
    }

    static RedisURI of(LettuceConnectionFactory factory) {
        RedisStandaloneConfiguration redis = factory.getStandaloneConfiguration();
        LettuceClientConfiguration client = factory.getClientConfiguration();
        RedisURI.Builder uri = RedisURI.builder()
                .withHost(redis.getHostName())
                .withPort(redis.getPort())
                .withDatabase(redis.getDatabase())
                .withSsl(client.isUseSsl())
                .withTimeout(client.getCommandTimeout());
        client.getClientName().ifPresent(uri::withClientName);
        if (redis.getPassword().isPresent()) {
            uri = redis.getUsername() == null ? uri.withPassword(redis.getPassword().get())
                    : uri.withAuthentication(redis.getUsername(), new String(redis.getPassword().get()));
        }
        return uri.build();
    }
}
