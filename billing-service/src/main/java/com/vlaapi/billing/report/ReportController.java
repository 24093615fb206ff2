package com.vlaapi.billing.report;

import com.vlaapi.billing.pricing.Pricing;
import com.vlaapi.servicecontract.error.ApiException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
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
 * one piece, {@code format=html} a self-contained page with charts drawn on the server. The
 * default is a stream of JSON lines ({@code application/x-ndjson}): progress lines while the
 * period is read day by day, then one line per customer and a summary, so that
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

    record SummaryLine(ReportSummary summary) {
    }

    private static final ReportGenerator.Progress NO_PROGRESS = (done, total, requests) -> { };

    private final ReportGenerator reports;
    private final JsonMapper json;
    private final Clock clock;
    private final Pricing pricing;

    ReportController(ReportGenerator reports, JsonMapper json, Clock clock, Pricing pricing) {
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
            List<ReportRow> rows = reports.generate(period, NO_PROGRESS);
            return whole(new MediaType("text", "csv", StandardCharsets.UTF_8), "attachment", period, "csv",
                    ReportCsv.of(rows));
        }
        if ("html".equals(format)) {
            List<ReportRow> rows = reports.generate(period, NO_PROGRESS);
            ReportSummary summary = ReportSummary.of(period, rows, pricing.currency());
            List<ReportChart> charts = ReportCharts.of(summary, rows, reports.days(period));
            return whole(new MediaType("text", "html", StandardCharsets.UTF_8), "inline", period, "html",
                    ReportHtml.of(summary, rows, charts, clock.instant()));
        }
        if (format != null && !"ndjson".equals(format)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_format",
                    "format must be csv, html or ndjson, not '" + format + "'.");
        }
        StreamingResponseBody body = out -> {
            List<ReportRow> rows = reports.generate(period, (done, total, requests) ->
                    line(out, new ProgressLine(new ProgressLine.Progress(done, total, requests))));
            for (ReportRow row : rows) {
                line(out, new RowLine(row));
            }
            line(out, new SummaryLine(ReportSummary.of(period, rows, pricing.currency())));
        };
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_NDJSON).body(body);
    }

    /** A report answered in one piece, named as bin/vla report names its files. */
    private static ResponseEntity<StreamingResponseBody> whole(MediaType type, String disposition, ReportPeriod period,
                                                               String extension, String text) {
        return ResponseEntity.ok()
                .contentType(type)
                .header("Content-Disposition", disposition + "; filename=\"report-" + period.kind() + "-"
                        + period.name() + "." + extension + "\"")
                .body(out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
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
