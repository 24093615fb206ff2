package com.vlaapi.gateway.ratelimit;

import com.vlaapi.gateway.apikey.ResolvedApiKey;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.springframework.http.HttpHeaders;

/**
 * The limit fields clients back off with: the IETF draft's {@code RateLimit-Policy} and
 * {@code RateLimit} (draft-ietf-httpapi-ratelimit-headers), and OpenAI's {@code x-ratelimit-*}
 * that many SDKs read. Two policies: "burst" (per minute) and "monthly" (the plan's quota).
 */
final class RateLimitHeaders {

    private RateLimitHeaders() {
    }

    static void apply(HttpHeaders headers, ResolvedApiKey key, LimitDecision decision, Instant now) {
        int perMinute = key.rateLimitPerMinute();
        long burstReset = (long) Math.ceil((perMinute - decision.remainingBurst()) * 60.0 / perMinute);
        long monthSeconds = YearMonth.from(now.atZone(ZoneOffset.UTC)).lengthOfMonth() * 86_400L;
        long untilMonthEnd = secondsUntilNextMonth(now);
        String burstPolicy = "\"burst\";q=" + perMinute + ";w=60";
        String burstState = "\"burst\";r=" + decision.remainingBurst() + ";t=" + burstReset;
        if (decision.failedOpen()) {
            headers.set("RateLimit-Policy", burstPolicy);
            headers.set("RateLimit", burstState);
        } else {
            long monthlyLeft = Math.max(0, key.monthlyQuota() - decision.usedThisMonth());
            headers.set("RateLimit-Policy", burstPolicy + ", \"monthly\";q=" + key.monthlyQuota() + ";w=" + monthSeconds);
            headers.set("RateLimit", burstState + ", \"monthly\";r=" + monthlyLeft + ";t=" + untilMonthEnd);
        }
        headers.set("x-ratelimit-limit-requests", Integer.toString(perMinute));
        headers.set("x-ratelimit-remaining-requests", Long.toString(decision.remainingBurst()));
        headers.set("x-ratelimit-reset-requests", burstReset + "s");
    }

    /** Rounded up, so a client that waits this long finds the new month's quota. */
    static long secondsUntilNextMonth(Instant now) {
        Duration left = Duration.between(now, nextMonthStart(now));
        return left.toNanosPart() > 0 ? left.toSeconds() + 1 : left.toSeconds();
    }

    /** When the monthly quota resets: the first instant of the next UTC month. */
    static Instant nextMonthStart(Instant now) {
        return YearMonth.from(now.atZone(ZoneOffset.UTC)).plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
