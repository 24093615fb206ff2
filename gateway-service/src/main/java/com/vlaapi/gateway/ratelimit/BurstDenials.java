package com.vlaapi.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.vlaapi.gateway.RequestPathCaches;
import com.vlaapi.gateway.apikey.ResolvedApiKey;
import com.vlaapi.gateway.ratelimit.LimitDecision.Outcome;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Burst-limit refusals answered without Redis. When Redis refuses a request because the customer's
 * bucket is empty, it says when the next token arrives. Until then Redis would refuse every
 * request of that customer from any gateway: only time refills a bucket, and a refused request
 * takes nothing from it. So this instance refuses them itself until then, and a client that keeps
 * sending past its limit costs Redis two round trips per token (the allowed request and the
 * next refusal), not one per request. The deadline
 * is counted from when Redis's answer arrived, later than Redis counted it, so this never refuses
 * a request Redis would allow. Kept per customer and per-minute limit: a changed plan asks Redis.
 */
@Component
class BurstDenials {

    private record Denial(int perMinute, long untilNanos, long usedThisMonth) {
    }

    /** A token takes at most a minute to arrive (a limit is at least 1 request a minute). */
    private final Cache<UUID, Denial> denials = RequestPathCaches.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(1))
            .maximumSize(100_000)
            .build();

    /** Remembers a refusal Redis decided for an empty bucket. */
    void remember(ResolvedApiKey key, LimitDecision decision) {
        if (decision.outcome() == Outcome.RATE_LIMITED && !decision.failedOpen()) {
            denials.put(key.customerId(), new Denial(key.rateLimitPerMinute(),
                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(decision.retryAfterMillis()), decision.usedThisMonth()));
        }
    }

    /** Redis's refusal of this customer's request, while its bucket is still empty; otherwise null. */
    LimitDecision refusal(ResolvedApiKey key) {
        Denial denial = denials.getIfPresent(key.customerId());
        if (denial == null || denial.perMinute() != key.rateLimitPerMinute()) {
            return null;
        }
        long left = denial.untilNanos() - System.nanoTime();
        if (left <= 0) {
            return null;
        }
        return new LimitDecision(Outcome.RATE_LIMITED, TimeUnit.NANOSECONDS.toMillis(left) + 1, 0, denial.usedThisMonth(), false);
    }
}
