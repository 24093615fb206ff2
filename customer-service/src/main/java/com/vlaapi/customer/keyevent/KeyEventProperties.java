package com.vlaapi.customer.keyevent;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long a failed key-event delivery is retried ({@code vla.customer.key-events.*}). Where the
 * events go is {@code vla.redis.*}, shared with the gateway.
 *
 * @param retries    how many times a failed delivery is retried in the background
 * @param retryDelay wait before the first retry; it doubles after each one
 */
@ConfigurationProperties("vla.customer.key-events")
public record KeyEventProperties(@DefaultValue("5") int retries, @DefaultValue("1s") Duration retryDelay) {

    private static final int MAX_RETRIES = 10;

    public KeyEventProperties {
        // The delay doubles per retry: more than a few retries would wait longer than any cache lives.
        if (retries < 0 || retries > MAX_RETRIES || retryDelay.isNegative() || retryDelay.isZero()) {
            throw new IllegalStateException("vla.customer.key-events needs retries from 0 to " + MAX_RETRIES
                    + " and a positive retry-delay, got " + retries + " and " + retryDelay);
        }
    }
}
