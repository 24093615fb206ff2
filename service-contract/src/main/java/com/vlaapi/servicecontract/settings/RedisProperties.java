package com.vlaapi.servicecontract.settings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

/**
 * {@code vla.redis.*}: the Redis the gateways and customer-service share, and the names they agree
 * on in it. Spring Boot connects through this record, the application's
 * {@link DataRedisConnectionDetails}, so {@code spring.data.redis.host} and {@code port} are not read.
 *
 * @param host     where Redis runs
 * @param port     Redis's port
 * @param prefix   starts every key and channel of the fleet, so that fleets (and tests) can share one Redis
 * @param username the ACL user to authenticate as; unset for Redis's default user
 * @param password the password Redis requires; unset when it requires none (a Redis on loopback only)
 */
@ConfigurationProperties("vla.redis")
public record RedisProperties(
        @DefaultValue("127.0.0.1") String host,
        @DefaultValue("6379") int port,
        @DefaultValue("vla:") String prefix,
        String username,
        String password) implements DataRedisConnectionDetails {

    @Override
    public Standalone getStandalone() {
        return Standalone.of(host, port);
    }

    @Override
    public String getUsername() {
        return username == null || username.isEmpty() ? null : username;
    }

    @Override
    public String getPassword() {
        return password == null || password.isEmpty() ? null : password;
    }

    /** Never the password. */
    @Override
    public String toString() {
        return "RedisProperties[host=" + host + ", port=" + port + ", prefix=" + prefix + ", username=" + username + "]";
    }

    /** Where gateways cache customer-service's answer for a key, by the key's SHA-256 (hex). */
    public String apiKeyCacheKey(String keyHash) {
        return prefix + "apikey:" + keyHash;
    }

    /** Where customer-service publishes the changes that invalidate those answers. */
    public String keyEventsChannel() {
        return prefix + "key-events";
    }
}
