package com.vlaapi.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.vlaapi.gateway.apikey.ResolvedApiKey;
import com.vlaapi.gateway.ratelimit.LimitDecision.Outcome;
import java.time.YearMonth;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** While Redis cannot decide, the quota holds the same way: by the lookup's metered field. */
class LocalLimiterTest {

    private static final YearMonth MONTH = YearMonth.of(2026, 11);

    private final LocalLimiter limiter = new LocalLimiter();

    @Test
    void stopsAKeyThatIsNotMeteredAtItsQuota() {
        ResolvedApiKey key = key("enterprise", false);

        assertEquals(Outcome.ALLOWED, limiter.decide(key, MONTH).outcome());
        assertEquals(Outcome.ALLOWED, limiter.decide(key, MONTH).outcome());
        assertEquals(Outcome.QUOTA_EXCEEDED, limiter.decide(key, MONTH).outcome());
    }

    @Test
    void countsAMeteredKeyPastItsQuota() {
        ResolvedApiKey key = key("free", true);

        for (int i = 0; i < 5; i++) {
            assertEquals(Outcome.ALLOWED, limiter.decide(key, MONTH).outcome());
        }
        assertEquals(6, limiter.decide(key, MONTH).usedThisMonth());
    }

    private static ResolvedApiKey key(String tier, boolean metered) {
        return new ResolvedApiKey(UUID.randomUUID(), UUID.randomUUID(), "active", "active", tier, 2, 600, metered, null);
    }
}
