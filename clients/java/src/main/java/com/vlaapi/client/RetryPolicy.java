package com.vlaapi.client;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * When a failed attempt is tried again, and after how long: answers the API marks as worth
 * retrying (docs/VLA-API-README.md, "Errors") and failed connections, at most {@code maxRetries}
 * times, after an exponential backoff with jitter, capped at {@code maxBackoff}, and never before
 * the answer's {@code Retry-After}. An answer that asks for a longer wait than {@code maxRetryWait}
 * is not retried at all: waiting less would be refused again, and the caller is told at once.
 *
 * @param maxRetries     attempts after the first
 * @param initialBackoff the first retry's backoff; each next one doubles it
 * @param maxBackoff     the longest backoff (a {@code Retry-After} may ask for more, up to {@code maxRetryWait})
 * @param maxRetryWait   the longest {@code Retry-After} the client waits for
 */
record RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff, Duration maxRetryWait) {

    /**
     * 408: the body arrived too slowly; 409: the same Idempotency-Key is still being served (the
     * retry gets its answer); 429: the burst limit (not the quota, its own type); 500, 502, 503:
     * the fleet's trouble. Not 504: the model was too slow, and sending again adds load where it is.
     */
    private static final Set<Integer> RETRYABLE_STATUSES = Set.of(408, 409, 429, 500, 502, 503);

    RetryPolicy {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0 || maxRetryWait.isNegative()) {
            throw new IllegalArgumentException("backoffs must satisfy 0 <= initial <= max, and maxRetryWait >= 0");
        }
    }

    static boolean retryable(VlaException failure) {
        if (failure instanceof VlaConnectionException) {
            return true;
        }
        return RETRYABLE_STATUSES.contains(failure.status()) && !(failure instanceof QuotaExceededException);
    }

    /**
     * How long to wait before the next attempt, or empty to give up with {@code failure}.
     *
     * @param attemptsMade attempts sent so far (1 after the first)
     * @param random       uniform in [0, 1): the jitter
     */
    Optional<Duration> delayBeforeRetry(int attemptsMade, VlaException failure, double random) {
        if (attemptsMade > maxRetries || !retryable(failure)) {
            return Optional.empty();
        }
        Optional<Duration> asked = failure.retryAfter();
        if (asked.isPresent() && asked.get().compareTo(maxRetryWait) > 0) {
            return Optional.empty();
        }
        Duration backoff = backoff(attemptsMade, random);
        return Optional.of(asked.filter(wait -> wait.compareTo(backoff) > 0).orElse(backoff));
    }

    /**
     * {@code initial * 2^(n-1)}, capped, then jittered down to between half and all of it, so that
     * clients that failed together do not all come back at the same instant.
     */
    Duration backoff(int attemptsMade, double random) {
        double exponential = initialBackoff.toNanos() * Math.pow(2, attemptsMade - 1);
        double capped = Math.min(exponential, maxBackoff.toNanos());
        return Duration.ofNanos((long) (capped * (0.5 + random / 2)));
    }
}
