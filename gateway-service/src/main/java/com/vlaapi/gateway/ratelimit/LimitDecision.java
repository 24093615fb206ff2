package com.vlaapi.gateway.ratelimit;

/**
 * The verdict for one request.
 *
 * @param remainingBurst    whole tokens left in the customer's bucket
 * @param usedThisMonth     successful requests this month, plus those in flight
 * @param retryAfterMillis  for {@link Outcome#RATE_LIMITED}: when the next token arrives
 * @param failedOpen        Redis did not answer in time; a local limiter decided
 */
public record LimitDecision(Outcome outcome, long retryAfterMillis, long remainingBurst, long usedThisMonth,
                            boolean failedOpen) {

    public enum Outcome { ALLOWED, RATE_LIMITED, QUOTA_EXCEEDED }
}
