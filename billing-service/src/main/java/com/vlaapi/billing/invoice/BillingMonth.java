package com.vlaapi.billing.invoice;

import com.vlaapi.servicecontract.error.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;

/**
 * A calendar month in UTC, as the half-open interval [first day 00:00:00.000Z, next month's first
 * day): a request at 23:59:59.999 on the last day belongs to this month, one at 00:00:00.000 to
 * the next.
 */
public record BillingMonth(YearMonth month) {

    private static final Pattern FORMAT = Pattern.compile("\\d{4}-\\d{2}");

    /** Parses {@code YYYY-MM}; anything else, or a month that has not started, is a 400. */
    public static BillingMonth parse(String text, Clock clock) {
        if (text == null || text.isBlank()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "missing_month",
                    "month is required, as YYYY-MM (e.g. 2026-11).");
        }
        YearMonth month;
        try {
            if (!FORMAT.matcher(text).matches()) {
                throw new DateTimeParseException("not YYYY-MM", text, 0);
            }
            month = YearMonth.parse(text);
        } catch (DateTimeParseException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_month",
                    "month must be YYYY-MM (e.g. 2026-11), not '" + text + "'.");
        }
        if (month.isAfter(YearMonth.from(clock.instant().atZone(ZoneOffset.UTC)))) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "month_in_future",
                    "month " + text + " has not started yet.");
        }
        return new BillingMonth(month);
    }

    public static BillingMonth containing(Instant instant) {
        return new BillingMonth(YearMonth.from(instant.atZone(ZoneOffset.UTC)));
    }

    public LocalDate firstDay() {
        return month.atDay(1);
    }

    public LocalDate nextMonthFirstDay() {
        return month.plusMonths(1).atDay(1);
    }

    public Instant start() {
        return firstDay().atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    public Instant end() {
        return nextMonthFirstDay().atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    public boolean isOver(Clock clock) {
        return !clock.instant().isBefore(end());
    }

    @Override
    public String toString() {
        return month.toString();
    }
}
