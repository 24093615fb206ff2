package com.vlaapi.customer.keyevent;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where key events go (vla.key-events.*; the prefix is VLA_REDIS_PREFIX, shared with the gateway)
 * and how long a failed delivery is retried.
 *
 * @param redisPrefix prefix of every Redis name: the gateway caches lookups under
 *                    {@code <prefix>apikey:<hash>} and listens on {@code <prefix>key-events}
 * @param retries     how many times a failed delivery is retried in the background
 * @param retryDelay  wait before the first retry; it doubles after each one
 */
@ConfigurationProperties("vla.key-events")
public record KeyEventProperties(String redisPrefix, int retries, Duration retryDelay) {

    private static final int MAX_RETRIES = 10;

    public KeyEventProperties {
        if (redisPrefix == null) {
            throw new IllegalStateException("vla.key-events.redis-prefix (VLA_REDIS_PREFIX) must be set, e.g. vla:");
        }
        // The delay doubles per retry: more than a few retries would wait longer than any cache lives.
        if (retries < 0 || retries > MAX_RETRIES || retryDelay == null || retryDelay.isNegative()
                || retryDelay.isZero()) {
            throw new IllegalStateException("vla.key-events needs retries from 0 to " + MAX_RETRIES
                    + " and a positive retry-delay, got " + retries + " and " + retryDelay);
        }
    }

    String cacheKey(String keyHash) {
        return redisPrefix + "apikey:" + keyHash;
    }

    String channel() {
        return redisPrefix + "key-events";
    }
}
