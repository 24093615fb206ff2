package com.vlaapi.customer.portal.overview;

import java.util.List;

/**
 * The last 30 days' requests as SVG bars, laid out here so the page needs no script and no inline
 * style (the Content-Security-Policy allows neither).
 */
public record DailyChart(int width, int height, long max, List<Bar> bars) {

    public record Bar(String date, long requests, int x, int y, int width, int height) {
    }

    static final int WIDTH = 600;
    static final int HEIGHT = 160;

    static DailyChart of(List<BillingSummary.Day> days) {
        long max = Math.max(1, days.stream().mapToLong(BillingSummary.Day::requests).max().orElse(0));
        int slot = days.isEmpty() ? WIDTH : WIDTH / days.size();
        List<Bar> bars = new java.util.ArrayList<>(days.size());
        for (int i = 0; i < days.size(); i++) {
            BillingSummary.Day day = days.get(i);
            int barHeight = (int) Math.round((double) day.requests() / max * (HEIGHT - 10));
            if (day.requests() > 0 && barHeight == 0) {
                barHeight = 1;
            }
            bars.add(new Bar(day.date().toString(), day.requests(), i * slot + 1, HEIGHT - barHeight,
                    Math.max(1, slot - 2), barHeight));
        }
        return new DailyChart(WIDTH, HEIGHT, max, bars);
    }
}
