package com.vlaapi.customer.portal.overview;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** billing-service's {@code GET /internal/v1/customers/{id}/billing-summary}: this month so far and the last 30 days. */
public record BillingSummary(UUID customerId, String month, String tier, String currency, long requests,
                      BigDecimal costSoFar, long projectedRequests, BigDecimal projectedCost, List<Day> daily) {

    public record Day(LocalDate date, long requests) {
    }
}
