package com.vlaapi.billing.report;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * One customer's line in a report. Averages are over the period's successful requests and null
 * when there were none.
 *
 * @param avgLatencyMs   mean model forward-pass time ({@code inference_latency_ms}, as the seed's query)
 * @param avgSafetyScore mean {@code safety_score} (inference-service's per-request score, 0..1)
 * @param revenue        monthly: base fee plus usage (the invoice total); weekly: the usage charges
 *                       the week's requests add (base fees are monthly)
 */
record ReportRow(UUID customerId, String company, String tier, long requests, BigDecimal avgLatencyMs,
                 BigDecimal avgSafetyScore, BigDecimal revenue) {
}
