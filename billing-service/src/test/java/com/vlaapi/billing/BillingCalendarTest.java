package com.vlaapi.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.vlaapi.billing.support.BillingIntegrationTest;
import com.vlaapi.testsupport.clock.CalendarEdge;
import com.vlaapi.testsupport.http.ApiClient;
import com.vlaapi.testsupport.http.ApiClient.Response;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Invoices, reports and the month-to-date metrics with billing-service's clock pinned to each
 * calendar edge: "this month" and "this week" are the edge's, requests at the last and first
 * millisecond of a month land in their own months, and a week that began last month counts last
 * month's requests.
 */
@TestPropertySource(properties = "vla.billing.metrics.refresh-interval=100ms")
class BillingCalendarTest extends BillingIntegrationTest {

    static final List<CalendarEdge> edges = CalendarEdge.ALL;

    private record Traffic(UUID enterprise, UUID pro, List<Instant> lastMonth, List<Instant> thisMonth) {

        List<Instant> all() {
            List<Instant> all = new ArrayList<>(lastMonth);
            all.addAll(thisMonth);
            return all;
        }
    }

    @ParameterizedTest
    @FieldSource("edges")
    void thisMonthsInvoicesAreTheEdgesMonthAndCannotBeFinalizedUntilItEnds(CalendarEdge edge) {
        Traffic traffic = trafficAround(edge);
        YearMonth month = edge.month();

        JsonNode current = generate(month);
        assertThat(invoiceOf(current, traffic.enterprise()).path("status").asString()).isEqualTo("draft");
        assertThat(invoiceOf(current, traffic.enterprise()).path("requests").asLong()).isEqualTo(traffic.thisMonth().size());
        assertThat(invoiceOf(current, traffic.enterprise()).path("total").decimalValue())
                .isEqualTo(enterpriseTotal(traffic.thisMonth().size()));
        assertThat(invoiceOf(current, traffic.pro()).path("total").decimalValue()).isEqualTo(new BigDecimal("500.00"));
        assertThat(invoiceOf(generate(month.minusMonths(1)), traffic.enterprise()).path("requests").asLong())
                .isEqualTo(traffic.lastMonth().size());
        assertThat(admin.post("/admin/v1/invoices/generate", monthBody(month.plusMonths(1))).errorCode())
                .isEqualTo("month_in_future");
        Response early = admin.post("/admin/v1/invoices/finalize", monthBody(month));
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.errorCode()).isEqualTo("month_not_over");
        assertThat(early.body()).contains("only from " + edge.nextMonthStart());

        Response lastMonth = admin.post("/admin/v1/invoices/finalize", monthBody(month.minusMonths(1)));
        assertThat(lastMonth.status()).as(lastMonth.body()).isEqualTo(200);
        assertThat(invoiceOf(lastMonth.json(), traffic.enterprise()).path("status").asString()).isEqualTo("finalized");

        pinClock(edge.nextMonthStart());
        Response ended = admin.post("/admin/v1/invoices/finalize", monthBody(month));
        assertThat(ended.status()).as(ended.body()).isEqualTo(200);
        assertThat(invoiceOf(ended.json(), traffic.enterprise()).path("finalized_at").asString())
                .isEqualTo(edge.nextMonthStart().toString());
    }

    @ParameterizedTest
    @FieldSource("edges")
    void monthlyReportWithoutAMonthCoversEveryDayOfTheEdgesMonth(CalendarEdge edge) {
        Traffic traffic = trafficAround(edge);

        List<JsonNode> lines = ndjson(admin.get("/admin/v1/reports/monthly"));
        JsonNode summary = lines.get(lines.size() - 1).path("summary");
        assertThat(summary.path("period").asString()).isEqualTo(edge.month().toString());
        assertThat(summary.path("from").asString()).isEqualTo(edge.month().atDay(1).toString());
        assertThat(summary.path("to").asString()).isEqualTo(edge.month().plusMonths(1).atDay(1).toString());
        assertThat(lines.stream().filter(l -> l.has("progress")).count()).isEqualTo(edge.daysInMonth());
        JsonNode enterprise = rowOf(lines, traffic.enterprise());
        assertThat(enterprise.path("requests").asLong()).isEqualTo(traffic.thisMonth().size());
        assertThat(enterprise.path("revenue").decimalValue()).isEqualTo(enterpriseTotal(traffic.thisMonth().size()));
    }

    @ParameterizedTest
    @FieldSource("edges")
    void weeklyReportWithoutAWeekIsTheEdgesIsoWeekAcrossMonthEnds(CalendarEdge edge) {
        Traffic traffic = trafficAround(edge);
        // The oracle parses the ISO week the edge names by hand; the service finds it from the date.
        LocalDate monday = LocalDate.parse(edge.isoWeek() + "-1", DateTimeFormatter.ISO_WEEK_DATE);
        Instant from = monday.atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant to = from.plus(Duration.ofDays(7));
        long inWeek = traffic.all().stream().filter(t -> !t.isBefore(from) && t.isBefore(to)).count();

        List<JsonNode> lines = ndjson(admin.get("/admin/v1/reports/weekly"));
        JsonNode summary = lines.get(lines.size() - 1).path("summary");
        assertThat(summary.path("period").asString()).isEqualTo(edge.isoWeek());
        assertThat(summary.path("from").asString()).isEqualTo(monday.toString());
        JsonNode enterprise = rowOf(lines, traffic.enterprise());
        assertThat(enterprise.path("requests").asLong()).isEqualTo(inWeek);
        // Enterprise pays per request from the first: the week's usage charge, without the monthly fee.
        assertThat(enterprise.path("revenue").decimalValue())
                .isEqualTo(new BigDecimal("0.01").multiply(BigDecimal.valueOf(inWeek)).setScale(2));
    }

    @ParameterizedTest
    @FieldSource("edges")
    void monthToDateMetricsFollowTheClockIntoTheNextMonth(CalendarEdge edge) {
        Traffic traffic = trafficAround(edge);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(metrics())
                .contains("vla_billing_billable_requests_month_to_date{tier=\"enterprise\"} "
                        + traffic.thisMonth().size() + ".0")
                .contains("vla_billing_revenue_month_to_date{currency=\"USD\",tier=\"enterprise\"} "
                        + enterpriseTotal(traffic.thisMonth().size()).stripTrailingZeros().toPlainString()));

        pinClock(edge.nextMonthStart());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(metrics())
                .contains("vla_billing_billable_requests_month_to_date{tier=\"enterprise\"} 0.0"));
    }

    /**
     * A clean slate, the clock at the edge, and an enterprise customer's requests: the last
     * moments of the month before (up to its last millisecond) and this month from its first
     * millisecond up to the edge's instant, every six hours in between. Each request is in the
     * request log (what reports read) and was delivered to billing (what invoices read).
     */
    private Traffic trafficAround(CalendarEdge edge) {
        // TRUNCATE locks its tables one by one; the service's month-to-date metrics reading them meanwhile can
        // deadlock with it, and PostgreSQL then fails one of the two: the slate is cleaned again.
        await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(PessimisticLockingFailureException.class)
                .until(() -> {
                    db().execute("TRUNCATE inference.inference_logs, billing.usage_events, billing.invoices,"
                            + " billing.invoice_line_items, customer.customers CASCADE");
                    return true;
                });
        pinClock(edge.now());
        Instant created = Instant.parse("2024-01-01T00:00:00Z");
        UUID enterprise = createCustomer("Edge Robotics", "enterprise", created);
        UUID pro = createCustomer("Edge Labs", "pro", created);
        List<Instant> lastMonth = List.of(edge.monthStart().minus(Duration.ofDays(3)),
                edge.monthStart().minus(Duration.ofHours(1)), edge.monthStart().minusMillis(1));
        List<Instant> thisMonth = new ArrayList<>(List.of(edge.monthStart(), edge.monthStart().plusMillis(1)));
        for (Instant t = edge.monthStart().plus(Duration.ofHours(6)); t.isBefore(edge.now()); t = t.plus(Duration.ofHours(6))) {
            thisMonth.add(t);
        }
        thisMonth.add(edge.now());
        List<Event> events = new ArrayList<>();
        for (Instant at : new Traffic(enterprise, pro, lastMonth, thisMonth).all()) {
            events.add(new Event(logRequest(enterprise, at, 200, 2.0, 5.0, 0.9), enterprise, at));
        }
        deliver(events, 1_000);
        return new Traffic(enterprise, pro, lastMonth, thisMonth);
    }

    private static BigDecimal enterpriseTotal(long requests) {
        return new BigDecimal("2500.00").add(new BigDecimal("0.01").multiply(BigDecimal.valueOf(requests)));
    }

    private static String monthBody(YearMonth month) {
        return "{\"month\": \"" + month + "\"}";
    }

    private JsonNode generate(YearMonth month) {
        Response response = admin.post("/admin/v1/invoices/generate", monthBody(month));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static JsonNode invoiceOf(JsonNode body, UUID customer) {
        for (JsonNode invoice : body.path("invoices")) {
            if (invoice.path("customer_id").asString().equals(customer.toString())) {
                return invoice;
            }
        }
        throw new AssertionError("no invoice for " + customer + " in " + body);
    }

    private List<JsonNode> ndjson(Response report) {
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        return report.body().lines().map(ApiClient::parse).toList();
    }

    private static JsonNode rowOf(List<JsonNode> lines, UUID customer) {
        return lines.stream().filter(l -> l.path("row").path("customer_id").asString().equals(customer.toString()))
                .findFirst().orElseThrow(() -> new AssertionError("no row for " + customer + " in " + lines))
                .path("row");
    }

    private String metrics() {
        return api.send(api.request("/actuator/prometheus").GET()).body();
    }
}
