package com.vlaapi.customer.portal.overview;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** "36,450 / 100,000 requests (36.5%)": this month's billable requests against the quota. */
public record Usage(long requests, long quota, BigDecimal percent) {

    static Usage of(long requests, long quota) {
        BigDecimal percent = quota <= 0 ? BigDecimal.ZERO
                : BigDecimal.valueOf(requests).multiply(BigDecimal.valueOf(100))
                        .divide(BigDecimal.valueOf(quota), 1, RoundingMode.HALF_UP);
        return new Usage(requests, quota, percent);
    }

    /** For the bar: never past full, even over quota. */
    public long barValue() {
        return Math.min(requests, quota);
    }
}
