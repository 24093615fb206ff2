package com.vlaapi.billing.report;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A report's totals, overall and by tier; {@code revenue} is exact (sum of the rows' decimals). */
record ReportSummary(String kind, String period, String from, String to, String currency, int customers, long requests,
                     BigDecimal revenue, Map<String, TierTotal> tiers) {

    record TierTotal(int customers, long requests, BigDecimal revenue) {
    }

    static ReportSummary of(ReportPeriod period, List<ReportRow> rows, String currency) {
        Map<String, TierTotal> tiers = new TreeMap<>();
        long requests = 0;
        BigDecimal revenue = BigDecimal.ZERO.setScale(2);
        for (ReportRow row : rows) {
            requests += row.requests();
            revenue = revenue.add(row.revenue());
            tiers.merge(row.tier(), new TierTotal(1, row.requests(), row.revenue()), (a, b) ->
                    new TierTotal(a.customers() + b.customers(), a.requests() + b.requests(), a.revenue().add(b.revenue())));
        }
        return new ReportSummary(period.kind(), period.name(), period.from().toString(), period.to().toString(),
                currency, rows.size(), requests, revenue, tiers);
    }
}
