package com.vlaapi.testsupport.clock;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A moment whose calendar has caught bugs: billing, reports and quotas are tested with the clock
 * pinned to each of {@link #ALL}, whatever day the suite runs. {@code isoWeek} and
 * {@code daysInMonth} are written out by hand, not computed, so a test that compares against them
 * checks the service's calendar arithmetic rather than repeating it.
 */
public record CalendarEdge(String name, Instant now, String isoWeek, int daysInMonth) {

    public static final List<CalendarEdge> ALL = List.of(
            new CalendarEdge("first day of a month whose week began last month", Instant.parse("2026-12-01T10:15:30Z"),
                    "2026-W49", 31),
            new CalendarEdge("year end, in ISO week 53 of the old year", Instant.parse("2027-01-01T10:15:30Z"),
                    "2026-W53", 31),
            new CalendarEdge("leap day", Instant.parse("2028-02-29T10:15:30Z"), "2028-W09", 29),
            new CalendarEdge("a Monday that starts a month", Instant.parse("2027-02-01T10:15:30Z"), "2027-W05", 28),
            new CalendarEdge("last millisecond of a 30-day month", Instant.parse("2026-11-30T23:59:59.999Z"),
                    "2026-W49", 30));

    public YearMonth month() {
        return YearMonth.from(now.atZone(ZoneOffset.UTC));
    }

    /** The first instant of this edge's month. */
    public Instant monthStart() {
        return month().atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The first instant of the next month: when this month's quota resets. */
    public Instant nextMonthStart() {
        return month().plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    @Override
    public String toString() {
        return now + " (" + name + ")";
    }
}
