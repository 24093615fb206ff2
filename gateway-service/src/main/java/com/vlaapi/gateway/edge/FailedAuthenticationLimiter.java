package com.vlaapi.gateway.edge;

import com.github.benmanes.caffeine.cache.Cache;
import com.vlaapi.gateway.GatewayProperties;
import com.vlaapi.gateway.RequestPathCaches;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Unauthenticated traffic is limited per client address: each failed authentication takes a token
 * from the address's bucket ({@code vla.gateway.failed-authentications-per-minute}, refilled
 * continuously), and an address whose bucket is empty gets 429 before its key is even looked at.
 * Customers with valid keys never fail authentication, so they never run it down; a scan of
 * guessed keys from one address is cut to that rate. Per instance, in memory: a scan spread over
 * the gateways gets each one's allowance, which still bounds it.
 */
@Component
public class FailedAuthenticationLimiter {

    private static final class Bucket {
        private double tokens;
        private long updatedNanos;

        Bucket(double capacity, long now) {
            this.tokens = capacity;
            this.updatedNanos = now;
        }
    }

    private final double capacity;
    private final double tokensPerNano;
    private final Cache<String, Bucket> buckets = RequestPathCaches.newBuilder()
            .maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();
    private final Counter refused;

    public FailedAuthenticationLimiter(GatewayProperties properties, MeterRegistry meters) {
        this.capacity = properties.failedAuthenticationsPerMinute();
        this.tokensPerNano = capacity / Duration.ofMinutes(1).toNanos();
        this.refused = Counter.builder("vla.gateway.failed.authentications.refused")
                .description("Requests refused because their address failed authentication too often")
                .register(meters);
    }

    /** Whether the address has used up its failed authentications; counts the refusal. */
    public boolean exhausted(String address) {
        Bucket bucket = buckets.getIfPresent(address);
        if (bucket == null) {
            return false;
        }
        synchronized (bucket) {
            refill(bucket, System.nanoTime());
            if (bucket.tokens < 1) {
                refused.increment();
                return true;
            }
            return false;
        }
    }

    /** One failed authentication from the address. */
    public void failed(String address) {
        long now = System.nanoTime();
        Bucket bucket = buckets.get(address, a -> new Bucket(capacity, now));
        synchronized (bucket) {
            refill(bucket, now);
            bucket.tokens = Math.max(0, bucket.tokens - 1);
        }
    }

    /** Seconds until the address may try again. */
    public long retryAfterSeconds() {
        return Math.max(1, (long) Math.ceil(1 / (tokensPerNano * 1e9)));
    }

    private void refill(Bucket bucket, long now) {
        bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.updatedNanos) * tokensPerNano);
        bucket.updatedNanos = now;
    }
}
