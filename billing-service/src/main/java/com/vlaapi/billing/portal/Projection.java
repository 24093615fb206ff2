package com.vlaapi.billing.portal;

import com.vlaapi.billing.invoice.BillingMonth;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/**
 * How many requests the month will end with if the customer keeps its pace: linear, the requests
 * so far divided by the fraction of the month (UTC) elapsed, rounded to the nearest request.
 *
 * <p>The elapsed time counts as at least {@link #SHORTEST_BASIS}: extrapolating a few minutes
 * over a month would swing wildly (one request in the first minute of November is 43,200 a
 * month), so during the first day the requests so far count as one day's and the projection joins
 * the linear one at 24:00. It is never below the requests so far, and equals them at the month's
 * end.
 */
final class Projection {

    static final Duration SHORTEST_BASIS = Duration.ofDays(1);

    private Projection() {
    }

    static long requests(long requestsSoFar, Instant now) {
        BillingMonth month = BillingMonth.containing(now);
        Duration length = Duration.between(month.start(), month.end());
        Duration elapsed = Duration.between(month.start(), now);
        if (elapsed.compareTo(SHORTEST_BASIS) < 0) {
            elapsed = SHORTEST_BASIS;
        }
        return BigDecimal.valueOf(requestsSoFar).multiply(BigDecimal.valueOf(length.toNanos()))
                .divide(BigDecimal.valueOf(elapsed.toNanos()), 0, RoundingMode.HALF_UP).longValueExact();
    }
}
