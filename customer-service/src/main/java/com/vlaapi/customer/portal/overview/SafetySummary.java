package com.vlaapi.customer.portal.overview;

/** inference-service's {@code GET /internal/v1/customers/{id}/safety-summary}. */
public record SafetySummary(String window, long requests, long clipped, long outOfDistribution, double clippedShare,
                     double outOfDistributionShare) {
}
