package com.vlaapi.billing.portal;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /internal/v1/customers/{customer_id}/billing-summary}: the customer's month so far
 * (UTC), priced as its invoice will be. Amounts are decimal strings with cents ("2864.50"), so
 * no client reads money through a floating-point number.
 *
 * @param month    {@code YYYY-MM}, the month containing now
 * @param requests billable requests stored for the month so far
 * @param daily    the last 30 UTC days ending today, oldest first, days without requests at 0
 */
record BillingSummary(UUID customerId, String month, String tier, String currency, long requests,
                      String costSoFar, long projectedRequests, String projectedCost, List<Day> daily) {

    record Day(LocalDate date, long requests) {
    }
}
