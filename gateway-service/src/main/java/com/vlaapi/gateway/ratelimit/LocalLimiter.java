package com.vlaapi.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.vlaapi.gateway.RequestPathCaches;
import com.vlaapi.gateway.apikey.ResolvedApiKey;
import com.vlaapi.gateway.ratelimit.LimitDecision.Outcome;
import java.time.Duration;
import java.time.YearMonth;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The fallback while Redis cannot decide: per customer, a token bucket in this instance's memory,
 * and the monthly usage Redis last reported to this instance plus what this instance allowed since.
 * So a burst still cannot hurt other customers, and a hard quota still holds, approximately: other
 * instances' traffic during the outage is not seen here.
 */
@Component
public class LocalLimiter {

    private static final class CustomerState {
        private double tokens;
        /** System.nanoTime() of the last refill: the bucket measures elapsed time, so wall-clock jumps cannot refill it. */
        private long lastNanos;
        private YearMonth month;
        private long used;

        CustomerState(double tokens, long lastNanos) {
            this.tokens = tokens;
            this.lastNanos = lastNanos;
        }
    }

    private final Cache<UUID, CustomerState> customers = RequestPathCaches.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(5))
            .maximumSize(100_000)
            .build();

    /** Remembers the month's usage from a decision Redis made. */
    public void observe(ResolvedApiKey key, YearMonth month, LimitDecision decision) {
        CustomerState state = state(key);
        synchronized (state) {
            state.month = month;
            state.used = decision.usedThisMonth();
        }
    }

    public LimitDecision decide(ResolvedApiKey key, YearMonth month) {
        double capacity = key.rateLimitPerMinute();
        double perMilli = capacity / 60_000.0;
        long now = System.nanoTime();
        CustomerState state = state(key);
        synchronized (state) {
            if (!month.equals(state.month)) {
                state.month = month;
                state.used = 0;
            }
            state.tokens = Math.min(capacity, state.tokens + (now - state.lastNanos) / 1e6 * perMilli);
            state.lastNanos = now;
            if (!key.metered() && state.used >= key.monthlyQuota()) {
                return new LimitDecision(Outcome.QUOTA_EXCEEDED, 0, (long) state.tokens, state.used, true);
            }
            if (state.tokens < 1) {
                return new LimitDecision(Outcome.RATE_LIMITED, (long) Math.ceil((1 - state.tokens) / perMilli), 0,
                        state.used, true);
            }
            state.tokens -= 1;
            state.used += 1;
            return new LimitDecision(Outcome.ALLOWED, 0, (long) state.tokens, state.used, true);
        }
    }

    private CustomerState state(ResolvedApiKey key) {
        return customers.get(key.customerId(), id -> new CustomerState(key.rateLimitPerMinute(), System.nanoTime()));
    }
}
