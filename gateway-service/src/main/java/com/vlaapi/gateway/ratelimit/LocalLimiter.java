package com.vlaapi.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.vlaapi.gateway.apikey.ResolvedApiKey;
import com.vlaapi.gateway.ratelimit.LimitDecision.Outcome;
import java.time.Duration;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The fallback while Redis is unreachable: a token bucket per customer in this instance's memory.
 * It keeps one customer's burst from hurting others; quotas are not enforced meanwhile (failing
 * open), and the usage counted from the request log is what bills.
 */
@Component
public class LocalLimiter {

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(double tokens, long last) {
            this.tokens = tokens;
            this.last = last;
        }
    }

    private final Cache<UUID, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(5))
            .maximumSize(100_000)
            .build();

    public LimitDecision decide(ResolvedApiKey key) {
        double capacity = key.rateLimitPerMinute();
        double perMilli = capacity / 60_000.0;
        long now = System.currentTimeMillis();
        Bucket bucket = buckets.get(key.customerId(), id -> new Bucket(capacity, now));
        synchronized (bucket) {
            bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.last) * perMilli);
            bucket.last = now;
            if (bucket.tokens < 1) {
                return new LimitDecision(Outcome.RATE_LIMITED, (long) Math.ceil((1 - bucket.tokens) / perMilli), 0, 0, true);
            }
            bucket.tokens -= 1;
            return new LimitDecision(Outcome.ALLOWED, 0, (long) bucket.tokens, 0, true);
        }
    }
}
