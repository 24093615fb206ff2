package com.vlaapi.billing.report;

import com.vlaapi.servicecontract.error.ApiException;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;

/**
 * The days a report covers, in UTC: a calendar month ({@code 2026-11}) or an ISO week
 * ({@code 2026-W48}, Monday to Sunday). {@code to} is exclusive.
 */
record ReportPeriod(String kind, String name, LocalDate from, LocalDate to) {

    private static final Pattern MONTH = Pattern.compile("(\\d{4})-(\\d{2})");
    private static final Pattern WEEK = Pattern.compile("(\\d{4})-W(\\d{2})");

    static ReportPeriod month(String text, Clock clock) {
        YearMonth month;
        if (text == null || text.isBlank()) {
            month = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
        } else {
            if (!MONTH.matcher(text).matches()) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_month",
                        "month must be YYYY-MM (e.g. 2026-11), not '" + text + "'.");
            }
            try {
                month = YearMonth.parse(text);
            } catch (DateTimeParseException e) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_month",
                        "month must be YYYY-MM (e.g. 2026-11), not '" + text + "'.");
            }
        }
        return new ReportPeriod("monthly", month.toString(), month.atDay(1), month.plusMonths(1).atDay(1));
    }

    static ReportPeriod week(String text, Clock clock) {
        LocalDate monday;
        if (text == null || text.isBlank()) {
            monday = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        } else {
            Matcher m = WEEK.matcher(text);
            if (!m.matches()) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_week",
                        "week must be an ISO week YYYY-Www (e.g. 2026-W48), not '" + text + "'.");
            }
            int year = Integer.parseInt(m.group(1));
            int week = Integer.parseInt(m.group(2));
            LocalDate mid = LocalDate.of(year, 6, 1);
            long weeks = mid.range(IsoFields.WEEK_OF_WEEK_BASED_YEAR).getMaximum();
            if (week < 1 || week > weeks) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_week",
                        year + " has ISO weeks 1 to " + weeks + ", not " + week + ".");
            }
            monday = mid.with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, week).with(DayOfWeek.MONDAY);
        }
        String name = monday.get(IsoFields.WEEK_BASED_YEAR) + "-W"
                + String.format("%02d", monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        return new ReportPeriod("weekly", name, monday, monday.plusDays(7));
    }

    /** The period's UTC days, in order. */
    List<LocalDate> days() {
        return from.datesUntil(to).toList();
    }

    Instant start() {
        return from.atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    Instant end() {
        return to.atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    boolean wholeMonth() {
        return "monthly".equals(kind);
    }
}
