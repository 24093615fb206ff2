package com.vlaapi.billing.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.billing.support.BillingIntegrationTest;
import com.vlaapi.billing.support.HeadlessChromium;
import com.vlaapi.testsupport.http.ApiClient.Response;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The charted HTML report as a person sees it: fetched from the running service, opened in
 * headless Chromium (Debian's package, deploy/scripts/chromium.sh), screenshotted under
 * target/report-html/, and its rendered DOM checked for this test's own customers and numbers.
 */
class ReportHtmlChromiumTest extends BillingIntegrationTest {

    private static final YearMonth MONTH = YearMonth.of(2026, 3);
    private static final Path OUT = Path.of("target", "report-html").toAbsolutePath();
    /** The bars' colour (ReportCharts): found in the screenshot only if Chromium drew the charts. */
    private static final int BAR_RGB = 0x2b6cb0;

    private static boolean trafficLogged;

    @Test
    void monthlyReportOpensInChromiumWithTheTestsCustomersNumbersAndCharts() throws Exception {
        Response response = admin.get("/admin/v1/reports/monthly?month=" + MONTH + "&format=html");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        // Self-contained: nothing to fetch, nothing to run.
        assertThat(response.body()).doesNotContain("http://", "https://", "<script", "<link");
        assertThat(GraphicsEnvironment.isHeadless()).as("the charts are drawn without a display").isTrue();
        Files.createDirectories(OUT);
        Path page = OUT.resolve("report-monthly-" + MONTH + ".html");
        Files.writeString(page, response.body(), StandardCharsets.UTF_8);
        Path screenshot = OUT.resolve("report-monthly-" + MONTH + ".png");
        Files.deleteIfExists(screenshot);
        HeadlessChromium chromium = HeadlessChromium.onPath();

        String dom = chromium.dumpDom(page);
        chromium.screenshot(page, screenshot, 1280, 2000);

        assertThat(dom).contains("<title>Monthly report 2026-03</title>", "2026-03-01 to 2026-03-31 (UTC)",
                "<td>Total</td><td class=\"n\">3</td><td class=\"n\">347</td><td class=\"n\">$3,002.40</td>",
                customerRow("Chart &lt;Robotics&gt; &amp; Sons", "enterprise", 240, "$2,502.40"),
                customerRow("Plot Labs", "pro", 95, "$500.00"),
                customerRow("Pixel Hobby", "free", 12, "$0.00"));
        // The company name is text, never markup.
        assertThat(dom).doesNotContainIgnoringCase("<robotics>");
        for (String chart : new String[] {"chart-daily-requests", "chart-usage-by-customer", "chart-revenue-by-tier",
                "chart-latency"}) {
            assertThat(dom).containsPattern("<img id=\"" + chart + "\" width=\"620\" height=\"340\" alt=\"[^\"]{20,}\" "
                    + "src=\"data:image/png;base64,[A-Za-z0-9+/]{1000,}");
        }
        assertThat(dom).contains("347 in all, the most on 2026-03-28 (95)", "the top 3 of 3:", "Plot Labs 95",
                "Pixel Hobby 12", "enterprise $2,502.40, free $0.00, pro $500.00",
                // Errors (status 500, 5 s) are neither counted nor in the percentiles.
                "p50 from 40.0 to 300.0 ms; the highest p99 300.0 ms on 2026-03-28");
        BufferedImage image = ImageIO.read(screenshot.toFile());
        assertThat(image).as("screenshot %s decodes as an image", screenshot).isNotNull();
        assertThat(image.getWidth()).isEqualTo(1280);
        assertThat(colours(image)).as("distinct colours in the screenshot").hasSizeGreaterThan(16);
        assertThat(pixelsNear(image, BAR_RGB)).as("bar-coloured pixels: the charts were drawn").isGreaterThan(2_000);
    }

    @Test
    void weeklyReportIsAPageToo() {
        Response response = admin.get("/admin/v1/reports/weekly?week=2026-W12&format=html");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        // Monday 16 to Sunday 22 March: Chart Robotics' days 16 to 20, twelve requests a day at $0.01.
        assertThat(response.body()).contains("<title>Weekly report 2026-W12</title>", "2026-03-16 to 2026-03-22 (UTC)",
                customerRow("Chart &lt;Robotics&gt; &amp; Sons", "enterprise", 60, "$0.60"));
        assertThat(admin.get("/admin/v1/reports/weekly?format=pdf").body()).contains("csv, html or ndjson");
    }

    /**
     * Once per class (the class's methods share its database), after the context made it. Chart
     * Robotics: twelve requests on each of 1 to 20 March at 10, 20 ... 120 ms (p50 65, p99
     * 118.9) and failures at 5 s; Plot Labs: 95 on the 28th at 300 ms; Pixel Hobby: 12 on the 30th
     * at 40 ms.
     */
    @BeforeEach
    void trafficInMarch() {
        if (trafficLogged) {
            return;
        }
        trafficLogged = true;
        Instant created = Instant.parse("2025-01-01T00:00:00Z");
        UUID robots = createCustomer("Chart <Robotics> & Sons", "enterprise", created);
        UUID labs = createCustomer("Plot Labs", "pro", created);
        UUID hobby = createCustomer("Pixel Hobby", "free", created);
        for (int day = 1; day <= 20; day++) {
            for (int k = 1; k <= 12; k++) {
                logRequest(robots, at(day, k), 200, 2.0, 10.0 * k, 0.9);
            }
            logRequest(robots, at(day, 13), 500, null, 5_000.0, null);
        }
        for (int i = 0; i < 95; i++) {
            logRequest(labs, at(28, i), 200, 2.0, 300.0, 0.8);
        }
        for (int i = 0; i < 12; i++) {
            logRequest(hobby, at(30, i), 200, 2.0, 40.0, 0.7);
        }
    }

    private static Instant at(int day, int minute) {
        return MONTH.atDay(day).atTime(12, 0).plusMinutes(minute).toInstant(ZoneOffset.UTC);
    }

    private static String customerRow(String company, String tier, long requests, String revenue) {
        return "<tr><td>" + company + "</td><td>" + tier + "</td><td class=\"n\">" + requests + "</td><td class=\"n\">"
                + revenue + "</td></tr>";
    }

    private static Set<Integer> colours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y) & 0xffffff);
            }
        }
        return colours;
    }

    private static long pixelsNear(BufferedImage image, int rgb) {
        long near = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                if (Math.abs(((p >> 16) & 0xff) - ((rgb >> 16) & 0xff)) <= 8 && Math.abs(((p >> 8) & 0xff)
                        - ((rgb >> 8) & 0xff)) <= 8 && Math.abs((p & 0xff) - (rgb & 0xff)) <= 8) {
                    near++;
                }
            }
        }
        return near;
    }
}
