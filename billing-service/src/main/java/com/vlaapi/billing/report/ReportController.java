package com.vlaapi.billing.report;

import com.vlaapi.servicecontract.error.ApiException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.json.JsonMapper;

/**
 * Monthly and weekly reports for operators (admin token). {@code format=csv} answers the CSV in
 * one piece; the default is a stream of JSON lines ({@code application/x-ndjson}): progress lines
 * while the period is read day by day, then one line per customer and a summary, so that
 * {@code bin/vla report} can show progress on large data.
 */
@RestController
@RequestMapping("/admin/v1/reports")
class ReportController {

    record ProgressLine(Progress progress) {
        record Progress(int done, int total, long requests) {
        }
    }

    record RowLine(ReportRow row) {
    }

    /** Totals by tier; {@code revenue} is exact (sum of the rows' decimals). */
    record Summary(String kind, String period, String from, String to, String currency, int customers, long requests,
                   BigDecimal revenue, Map<String, TierTotal> tiers) {
    }

    record TierTotal(int customers, long requests, BigDecimal revenue) {
    }

    record SummaryLine(Summary summary) {
    }

    private final ReportGenerator reports;
    private final JsonMapper json;
    private final Clock clock;
    private final com.vlaapi.billing.pricing.Pricing pricing;

    ReportController(ReportGenerator reports, JsonMapper json, Clock clock, com.vlaapi.billing.pricing.Pricing pricing) {
        this.reports = reports;
        this.json = json;
        this.clock = clock;
        this.pricing = pricing;
    }

    @GetMapping("/monthly")
    ResponseEntity<StreamingResponseBody> monthly(@RequestParam(required = false) String month,
                              @RequestParam(required = false) String format) {
        return respond(ReportPeriod.month(month, clock), format);
    }

    @GetMapping("/weekly")
    ResponseEntity<StreamingResponseBody> weekly(@RequestParam(required = false) String week,
                             @RequestParam(required = false) String format) {
        return respond(ReportPeriod.week(week, clock), format);
    }

    private ResponseEntity<StreamingResponseBody> respond(ReportPeriod period, String format) {
        if ("csv".equals(format)) {
            List<ReportRow> rows = reports.generate(period, (done, total, requests) -> { });
            return ResponseEntity.ok()
                    .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                    .header("Content-Disposition", "attachment; filename=\"report-" + period.kind() + "-"
                            + period.name() + ".csv\"")
                    .body(out -> out.write(ReportCsv.of(rows).getBytes(StandardCharsets.UTF_8)));
        }
        if (format != null && !"ndjson".equals(format)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_format",
                    "format must be csv or ndjson, not '" + format + "'.");
        }
        StreamingResponseBody body = out -> {
            List<ReportRow> rows = reports.generate(period, (done, total, requests) ->
                    line(out, new ProgressLine(new ProgressLine.Progress(done, total, requests))));
            for (ReportRow row : rows) {
                line(out, new RowLine(row));
            }
            line(out, new SummaryLine(summary(period, rows)));
        };
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_NDJSON).body(body);
    }

    private Summary summary(ReportPeriod period, List<ReportRow> rows) {
        Map<String, TierTotal> tiers = new TreeMap<>();
        long requests = 0;
        BigDecimal revenue = BigDecimal.ZERO.setScale(2);
        for (ReportRow row : rows) {
            requests += row.requests();
            revenue = revenue.add(row.revenue());
            tiers.merge(row.tier(), new TierTotal(1, row.requests(), row.revenue()), (a, b) ->
                    new TierTotal(a.customers() + b.customers(), a.requests() + b.requests(), a.revenue().add(b.revenue())));
        }
        return new Summary(period.kind(), period.name(), period.from().toString(), period.to().toString(),
                pricing.currency(), rows.size(), requests, revenue, tiers);
    }

    private void line(OutputStream out, Object value) {
        try {
            out.write(json.writeValueAsBytes(value));
            out.write('\n');
            out.flush();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
