package com.vlaapi.billing.report;

import com.vlaapi.billing.pricing.MoneyText;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.NumberFormat;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The HTML report's four charts, drawn on the server with JFreeChart as PNGs. java.awt draws them
 * off-screen: SpringApplication sets {@code java.awt.headless=true} (its default), so the service
 * needs no display.
 */
final class ReportCharts {

    static final int WIDTH = 620;
    static final int HEIGHT = 340;
    /** The usage chart's bars; the table below the charts lists every customer. */
    static final int TOP_CUSTOMERS = 15;

    private static final Color FIRST = new Color(0x2b6cb0);
    private static final Color SECOND = new Color(0xdd6b20);
    private static final Color GRID = new Color(0xdddddd);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MM-dd");
    private static final String REQUESTS = "Successful requests";

    private ReportCharts() {
    }

    static List<ReportChart> of(ReportSummary summary, List<ReportRow> rows, List<ReportDay> days) {
        return List.of(dailyRequests(days), usageByCustomer(rows), revenueByTier(summary), latency(days));
    }

    private static ReportChart dailyRequests(List<ReportDay> days) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        days.forEach(d -> data.addValue(d.requests(), REQUESTS, DAY.format(d.day())));
        // A period always has at least one day.
        ReportDay busiest = days.stream().max(Comparator.comparingLong(ReportDay::requests)).orElseThrow();
        long total = days.stream().mapToLong(ReportDay::requests).sum();
        String alt = "Bar chart of successful requests per UTC day, %s to %s: %s in all, the most on %s (%s)."
                .formatted(days.get(0).day(), days.get(days.size() - 1).day(), count(total), busiest.day(),
                        count(busiest.requests()));
        JFreeChart chart = ChartFactory.createBarChart("Daily requests", "Day (UTC)", REQUESTS, data);
        return new ReportChart("chart-daily-requests", "Daily requests", alt, png(bars(countAxis(byDay(chart)))));
    }

    private static ReportChart usageByCustomer(List<ReportRow> rows) {
        List<ReportRow> top = rows.stream().sorted(Comparator.comparingLong(ReportRow::requests).reversed()
                .thenComparing(ReportRow::company)).limit(TOP_CUSTOMERS).toList();
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        StringJoiner alt = new StringJoiner(", ", "Horizontal bar chart of successful requests by customer, the top "
                + top.size() + " of " + rows.size() + ": ", ".");
        for (ReportRow row : top) {
            data.addValue(row.requests(), REQUESTS, uniqueKey(data, shorten(row.company())));
            alt.add(row.company() + " " + count(row.requests()));
        }
        JFreeChart chart = ChartFactory.createBarChart("Usage by customer", null, REQUESTS, data,
                PlotOrientation.HORIZONTAL, false, false, false);
        chart.getCategoryPlot().setNoDataMessage("No customers in this period");
        return new ReportChart("chart-usage-by-customer", "Usage by customer", alt.toString(),
                png(bars(countAxis(chart))));
    }

    private static ReportChart revenueByTier(ReportSummary summary) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        StringJoiner alt = new StringJoiner(", ", "Bar chart of revenue by tier in " + summary.currency() + ": ", ".");
        for (Map.Entry<String, ReportSummary.TierTotal> tier : summary.tiers().entrySet()) {
            data.addValue(tier.getValue().revenue(), "Revenue", tier.getKey());
            alt.add(tier.getKey() + " " + MoneyText.of(summary.currency(), tier.getValue().revenue()));
        }
        JFreeChart chart = ChartFactory.createBarChart("Revenue by tier", "Tier", "Revenue (" + summary.currency() + ")",
                data);
        chart.getCategoryPlot().setNoDataMessage("No customers in this period");
        return new ReportChart("chart-revenue-by-tier", "Revenue by tier", alt.toString(), png(bars(chart)));
    }

    private static ReportChart latency(List<ReportDay> days) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (ReportDay d : days) {
            // A day without requests has no percentiles: a gap in the lines, not a zero.
            data.addValue(d.latencyP50Ms(), "p50", DAY.format(d.day()));
            data.addValue(d.latencyP99Ms(), "p99", DAY.format(d.day()));
        }
        JFreeChart chart = ChartFactory.createLineChart("Latency by day (total, ms)", "Day (UTC)", "ms", data,
                PlotOrientation.VERTICAL, true, false, false);
        LineAndShapeRenderer lines = (LineAndShapeRenderer) byDay(chart).getCategoryPlot().getRenderer();
        lines.setDefaultShapesVisible(true);
        lines.setSeriesPaint(0, FIRST);
        lines.setSeriesPaint(1, SECOND);
        lines.setSeriesStroke(0, new BasicStroke(2f));
        lines.setSeriesStroke(1, new BasicStroke(2f));
        return new ReportChart("chart-latency", "Latency p50 and p99 by day", latencyAlt(days), png(style(chart)));
    }

    private static String latencyAlt(List<ReportDay> days) {
        List<ReportDay> served = days.stream().filter(d -> d.latencyP99Ms() != null).toList();
        String what = "Line chart of the p50 and p99 of total latency (inference-service's handling of each successful "
                + "request, ms) per UTC day";
        if (served.isEmpty()) {
            return what + ": no successful requests in the period.";
        }
        ReportDay worst = served.stream().max(Comparator.comparingDouble(ReportDay::latencyP99Ms)).orElseThrow();
        DoubleSummaryStatistics p50 = served.stream().mapToDouble(ReportDay::latencyP50Ms).summaryStatistics();
        return what + ": p50 from %s to %s ms; the highest p99 %s ms on %s.".formatted(ms(p50.getMin()),
                ms(p50.getMax()), ms(worst.latencyP99Ms()), worst.day());
    }

    /** Company names as bar labels: long ones cut, and each label once (the dataset keys by label). */
    private static String shorten(String company) {
        return company.length() <= 28 ? company : company.substring(0, 27) + "…";
    }

    private static String uniqueKey(DefaultCategoryDataset data, String label) {
        String key = label;
        for (int n = 2; data.getColumnKeys().contains(key); n++) {
            key = label + " (" + n + ")";
        }
        return key;
    }

    private static JFreeChart byDay(JFreeChart chart) {
        chart.getCategoryPlot().getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_90);
        return chart;
    }

    private static JFreeChart countAxis(JFreeChart chart) {
        ((NumberAxis) chart.getCategoryPlot().getRangeAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return chart;
    }

    private static JFreeChart bars(JFreeChart chart) {
        BarRenderer renderer = (BarRenderer) chart.getCategoryPlot().getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setSeriesPaint(0, FIRST);
        renderer.setMaximumBarWidth(0.08);
        if (chart.getLegend() != null) {
            chart.removeLegend();
        }
        return style(chart);
    }

    private static JFreeChart style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setRangeGridlinePaint(GRID);
        return chart;
    }

    private static byte[] png(JFreeChart chart) {
        try {
            return ChartUtils.encodeAsPNG(chart.createBufferedImage(WIDTH, HEIGHT));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Counts as the page shows them: 1,234. */
    static String count(long n) {
        return NumberFormat.getIntegerInstance(Locale.US).format(n);
    }

    private static String ms(double value) {
        return String.format(Locale.US, "%.1f", value);
    }
}
