package com.vlaapi.billing.report;

import static com.vlaapi.billing.report.ReportCharts.count;

import com.vlaapi.billing.pricing.MoneyText;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.springframework.web.util.HtmlUtils;

/**
 * The report as one self-contained HTML page: inline CSS, the charts as PNG data URIs, no script
 * and nothing fetched from elsewhere, so it can be mailed or opened offline.
 */
final class ReportHtml {

    private ReportHtml() {
    }

    static String of(ReportSummary summary, List<ReportRow> rows, List<ReportChart> charts, Instant generatedAt) {
        String title = ("monthly".equals(summary.kind()) ? "Monthly" : "Weekly") + " report " + summary.period();
        String revenue = "monthly".equals(summary.kind())
                ? "Revenue is the month's invoice total (base fee plus usage)."
                : "Revenue is the usage charges the week's requests add (base fees are monthly).";
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8">
                <title>%s</title>
                <style>
                body{font-family:system-ui,sans-serif;max-width:80em;margin:1.5em auto;padding:0 1em;color:#222}
                table{border-collapse:collapse}th,td{padding:.3em .7em;border-bottom:1px solid #ddd;text-align:left}
                .n{text-align:right;font-variant-numeric:tabular-nums}.total td{font-weight:bold;border-top:2px solid #222}
                .charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(28em,1fr));gap:1.5em}
                figure{margin:0}img{max-width:100%%;height:auto}figcaption{color:#555;font-size:.9em}
                .note{color:#555;max-width:60em}
                </style></head><body>
                <h1>%s</h1>
                <p>%s to %s (UTC). Generated %s.</p>
                <h2>Summary</h2>
                <table id="summary"><thead><tr><th>Tier</th><th class="n">Customers</th><th class="n">Requests</th>\
                <th class="n">Revenue</th></tr></thead>
                <tbody>
                %s<tr class="total"><td>Total</td><td class="n">%s</td><td class="n">%s</td><td class="n">%s</td></tr>
                </tbody></table>
                <p class="note">Requests are successful requests (HTTP 200) in inference-service's request log. %s \
                Latency is <code>total_latency_ms</code>: inference-service's whole handling of a successful request \
                (queue, preprocessing and the model's forward pass), its p50 and p99 per UTC day.</p>
                <h2>Charts</h2>
                <div class="charts">
                %s</div>
                <h2>Customers</h2>
                <table id="customers"><thead><tr><th>Company</th><th>Tier</th><th class="n">Requests</th>\
                <th class="n">Revenue</th></tr></thead>
                <tbody>
                %s</tbody></table>
                </body></html>
                """.formatted(e(title), e(title), summary.from(),
                LocalDate.parse(summary.to()).minusDays(1), generatedAt, tiers(summary), count(summary.customers()),
                count(summary.requests()), MoneyText.of(summary.currency(), summary.revenue()), revenue, figures(charts),
                customers(summary.currency(), rows));
    }

    private static String tiers(ReportSummary summary) {
        StringBuilder html = new StringBuilder();
        for (Map.Entry<String, ReportSummary.TierTotal> tier : summary.tiers().entrySet()) {
            ReportSummary.TierTotal t = tier.getValue();
            html.append("<tr><td>").append(e(tier.getKey())).append("</td><td class=\"n\">").append(count(t.customers()))
                    .append("</td><td class=\"n\">").append(count(t.requests())).append("</td><td class=\"n\">")
                    .append(MoneyText.of(summary.currency(), t.revenue())).append("</td></tr>\n");
        }
        return html.toString();
    }

    private static String figures(List<ReportChart> charts) {
        StringBuilder html = new StringBuilder();
        for (ReportChart chart : charts) {
            html.append("<figure><img id=\"").append(chart.id()).append("\" width=\"").append(ReportCharts.WIDTH)
                    .append("\" height=\"").append(ReportCharts.HEIGHT).append("\" alt=\"").append(e(chart.alt()))
                    .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(chart.png()))
                    .append("\"><figcaption>").append(e(chart.title())).append("</figcaption></figure>\n");
        }
        return html.toString();
    }

    private static String customers(String currency, List<ReportRow> rows) {
        StringBuilder html = new StringBuilder();
        for (ReportRow row : rows) {
            html.append("<tr><td>").append(e(row.company())).append("</td><td>").append(e(row.tier()))
                    .append("</td><td class=\"n\">").append(count(row.requests())).append("</td><td class=\"n\">")
                    .append(MoneyText.of(currency, row.revenue())).append("</td></tr>\n");
        }
        return html.toString();
    }

    private static String e(String text) {
        return HtmlUtils.htmlEscape(text);
    }
}
