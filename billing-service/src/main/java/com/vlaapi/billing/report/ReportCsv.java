package com.vlaapi.billing.report;

import com.vlaapi.billing.csv.CsvField;
import java.math.BigDecimal;
import java.util.List;

/** The report as CSV: the seed's columns (company, tier, requests, latency, safety, revenue). */
final class ReportCsv {

    static final String HEADER = "company,tier,requests,avg_latency_ms,avg_safety_score,revenue";

    private ReportCsv() {
    }

    static String of(List<ReportRow> rows) {
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        for (ReportRow r : rows) {
            csv.append(CsvField.of(r.company())).append(',').append(r.tier()).append(',').append(r.requests()).append(',')
                    .append(plain(r.avgLatencyMs())).append(',').append(plain(r.avgSafetyScore())).append(',')
                    .append(plain(r.revenue())).append("\r\n");
        }
        return csv.toString();
    }

    private static String plain(BigDecimal value) {
        return value == null ? "" : value.toPlainString();
    }
}
