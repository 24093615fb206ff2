package com.vlaapi.billing.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.vlaapi.billing.support.BillingIntegrationTest;
import com.vlaapi.testsupport.http.ApiClient;
import com.vlaapi.testsupport.http.ApiClient.Response;
import com.vlaapi.testsupport.seed.SeedQueries;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * This month's traffic in the request log and in billing: the seed's SQL, verbatim, agrees with
 * the invoices; the reports and the business metrics show the same numbers. The seed's SQL reads
 * PostgreSQL's clock (CURRENT_DATE, NOW()), so "now" here is the database's, and billing-service's
 * clock is pinned to it. The same logic on chosen dates: BillingCalendarTest.
 */
@TestPropertySource(properties = "vla.billing.metrics.refresh-interval=200ms")
class SeedQueriesAndReportsTest extends BillingIntegrationTest {

    private static Instant now;
    private static YearMonth month;
    private static UUID acme;
    private static UUID techCorp;
    private static UUID hobbyist;
    private static final Map<UUID, List<Instant>> SUCCESSES = new HashMap<>();

    /** Once per class, after the context (and so the database) exists. */
    @BeforeEach
    void trafficThisMonth() {
        if (acme != null) {
            pinClock(now);
            return;
        }
        now = db().queryForObject("SELECT now()", OffsetDateTime.class).toInstant();
        month = YearMonth.from(now.atZone(ZoneOffset.UTC));
        pinClock(now);
        Instant old = Instant.parse("2024-01-01T00:00:00Z");
        acme = createCustomer("Acme Robotics", "enterprise", old);
        techCorp = createCustomer("TechCorp", "pro", old);
        hobbyist = createCustomer("Hobby Bots", "free", old);
        log(acme, 365, 0.9);
        log(techCorp, 82, 0.7);
        // The month before: in neither this month's queries nor its invoices, but in this week's report
        // whenever the week began last month.
        Instant lastMonth = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).minusMillis(1);
        insertLog(acme, lastMonth, 200, 0.5);
        SUCCESSES.get(acme).add(lastMonth);
    }

    /** {@code n} successes spread over the month so far, and one error per ten (errors are not billed). */
    private static void log(UUID customer, int n, double safety) {
        Instant start = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        long span = Math.max(1, now.minusSeconds(5).toEpochMilli() - start.toEpochMilli());
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instant at = start.plusMillis(span * i / n);
            insertLog(customer, at, 200, safety);
            times.add(at);
            if (i % 10 == 0) {
                insertLog(customer, at, 400, null);
            }
        }
        SUCCESSES.put(customer, times);
    }

    private static void insertLog(UUID customer, Instant at, int status, Double safety) {
        logRequest(customer, at, status, status == 200 ? 2.0 : null, 5.0, safety);
    }

    /** What the relay would deliver: one event per successful log row. */
    private void deliverTheLog() {
        List<Event> events = db().query("""
                SELECT request_id, customer_id, "timestamp" FROM inference.inference_logs WHERE status_code = 200""",
                (rs, i) -> new Event(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getObject(3, OffsetDateTime.class).toInstant()));
        deliver(events, 1_000);
    }

    @Test
    void theSeedsQueriesRunVerbatimAndAgreeWithTheInvoices() throws Exception {
        deliverTheLog();
        Response generated = admin.post("/admin/v1/invoices/generate", "{\"month\": \"" + month + "\"}");
        assertThat(generated.status()).as(generated.body()).isEqualTo(200);
        Map<String, JsonNode> invoices = new HashMap<>();
        generated.json().path("invoices").forEach(i -> invoices.put(i.path("company_name").asString(), i));

        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            try (ResultSet rs = sql.executeQuery(SeedQueries.MONTHLY_USAGE)) {
                int rows = 0;
                while (rs.next()) {
                    rows++;
                    JsonNode invoice = invoices.get(rs.getString("company_name"));
                    assertThat(rs.getLong("monthly_usage")).isEqualTo(invoice.path("requests").asLong());
                }
                assertThat(rows).isEqualTo(3);
            }
            try (ResultSet rs = sql.executeQuery(SeedQueries.REVENUE_THIS_MONTH)) {
                Map<String, BigDecimal> revenue = new HashMap<>();
                while (rs.next()) {
                    revenue.put(rs.getString("company_name"), rs.getBigDecimal("revenue"));
                }
                // Enterprise: the query's revenue is the invoice's usage line (the base fee is on its own line).
                assertThat(revenue.get("Acme Robotics")).isEqualByComparingTo(
                        invoices.get("Acme Robotics").path("line_items").get(1).path("amount").decimalValue());
                assertThat(revenue.get("Acme Robotics")).isEqualByComparingTo("3.65");
            }
            try (ResultSet rs = sql.executeQuery(SeedQueries.USAGE_FOR_INVOICING)) {
                int rows = 0;
                while (rs.next()) {
                    rows++;
                    assertThat(rs.getLong("requests"))
                            .isEqualTo(invoices.get(rs.getString("company_name")).path("requests").asLong());
                }
                assertThat(rows).isEqualTo(2);
            }
            try (ResultSet rs = sql.executeQuery(SeedQueries.SAFETY_THIS_MONTH)) {
                while (rs.next()) {
                    double expected = rs.getString("company_name").equals("Acme Robotics") ? 0.9 : 0.7;
                    assertThat(rs.getDouble("avg_safety")).isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-9));
                }
            }
            try (ResultSet rs = sql.executeQuery(SeedQueries.LATENCY_LAST_30_DAYS)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getDouble("avg_latency")).isEqualTo(2.0);
            }
        }
        assertThat(invoices.get("Acme Robotics").path("total").decimalValue()).isEqualTo(new BigDecimal("2503.65"));
        assertThat(invoices.get("TechCorp").path("total").decimalValue()).isEqualTo(new BigDecimal("500.00"));
        assertThat(invoices.get("Hobby Bots").path("total").decimalValue()).isEqualTo(new BigDecimal("0.00"));
    }

    @Test
    void monthlyReportStreamsProgressThenOneRowPerCustomer() {
        Response report = admin.get("/admin/v1/reports/monthly?month=" + month);

        assertThat(report.status()).as(report.body()).isEqualTo(200);
        assertThat(report.headers().firstValue("Content-Type").orElse("")).startsWith("application/x-ndjson");
        List<JsonNode> lines = report.body().lines().map(ApiClient::parse).toList();
        List<JsonNode> progress = lines.stream().filter(l -> l.has("progress")).toList();
        assertThat(progress).hasSize(month.lengthOfMonth());
        assertThat(progress.get(progress.size() - 1).path("progress").path("requests").asLong()).isEqualTo(365 + 82);
        Map<String, JsonNode> rows = new HashMap<>();
        lines.stream().filter(l -> l.has("row")).forEach(l -> rows.put(l.path("row").path("company").asString(), l.path("row")));
        assertThat(rows).hasSize(3);
        assertThat(rows.get("Acme Robotics").path("requests").asLong()).isEqualTo(365);
        assertThat(rows.get("Acme Robotics").path("revenue").decimalValue()).isEqualTo(new BigDecimal("2503.65"));
        assertThat(rows.get("Acme Robotics").path("avg_safety_score").decimalValue()).isEqualByComparingTo("0.9");
        assertThat(rows.get("Acme Robotics").path("avg_latency_ms").decimalValue()).isEqualByComparingTo("2.0");
        assertThat(rows.get("Hobby Bots").path("avg_latency_ms").isNull()).isTrue();
        JsonNode summary = lines.get(lines.size() - 1).path("summary");
        assertThat(summary.path("requests").asLong()).isEqualTo(447);
        assertThat(summary.path("revenue").decimalValue()).isEqualTo(new BigDecimal("3003.65"));
        assertThat(summary.path("tiers").path("pro").path("revenue").decimalValue()).isEqualTo(new BigDecimal("500.00"));

        Response csv = admin.get("/admin/v1/reports/monthly?month=" + month + "&format=csv");
        assertThat(csv.body()).startsWith("company,tier,requests,avg_latency_ms,avg_safety_score,revenue\r\n"
                + "Acme Robotics,enterprise,365,2.00,0.9000,2503.65\r\n");
    }

    @Test
    void weeklyReportChargesTheWeeksUsage() {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        Instant from = monday.atStartOfDay().toInstant(ZoneOffset.UTC);
        long inWeek = SUCCESSES.get(acme).stream().filter(t -> !t.isBefore(from)).count();

        Response report = admin.get("/admin/v1/reports/weekly?format=csv");

        assertThat(report.status()).as(report.body()).isEqualTo(200);
        String acmeLine = report.body().lines().filter(l -> l.startsWith("Acme Robotics,")).findFirst().orElseThrow();
        assertThat(acmeLine).startsWith("Acme Robotics,enterprise," + inWeek + ",")
                .endsWith("," + new BigDecimal(inWeek).multiply(new BigDecimal("0.01")).setScale(2).toPlainString());
        assertThat(admin.get("/admin/v1/reports/weekly?week=2026-W54").errorCode()).isEqualTo("invalid_week");
        assertThat(admin.get("/admin/v1/reports/monthly?month=2026-1").errorCode()).isEqualTo("invalid_month");
        assertThat(admin.get("/admin/v1/reports/monthly?format=pdf").errorCode()).isEqualTo("invalid_format");
    }

    @Test
    void businessMetricsByTierWithoutCustomerLabels() {
        deliverTheLog();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String metrics = api.send(api.request("/actuator/prometheus").GET()).body();
            assertThat(metrics)
                    .contains("vla_billing_revenue_month_to_date{currency=\"USD\",tier=\"enterprise\"} 2503.65")
                    .contains("vla_billing_revenue_month_to_date{currency=\"USD\",tier=\"pro\"} 500.0")
                    .contains("vla_billing_customers{tier=\"free\"} 1.0")
                    .contains("vla_billing_billable_requests_month_to_date{tier=\"pro\"} 82.0")
                    .contains("vla_billing_usage_backlog_events 0.0")
                    .contains("vla_billing_usage_lag_seconds 0.0")
                    .contains("vla_billing_usage_events_stored_total")
                    .doesNotContain(acme.toString());
        });
    }
}
