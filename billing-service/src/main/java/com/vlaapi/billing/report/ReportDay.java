package com.vlaapi.billing.report;

import java.time.LocalDate;

/**
 * One UTC day of a report, for its charts: the successful requests and the median and 99th
 * percentile of their {@code total_latency_ms} (inference-service's whole handling of the request:
 * queue, preprocessing and forward pass). The percentiles are null on a day without requests.
 */
record ReportDay(LocalDate day, long requests, Double latencyP50Ms, Double latencyP99Ms) {
}
