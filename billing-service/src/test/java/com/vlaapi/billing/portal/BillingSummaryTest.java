package com.vlaapi.billing.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.billing.support.BillingIntegrationTest;
import com.vlaapi.testsupport.clock.CalendarEdge;
import com.vlaapi.testsupport.http.ApiClient;
import com.vlaapi.testsupport.http.ApiClient.Response;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import tools.jackson.databind.JsonNode;

/**
 * The portal's billing summary agrees with usage_events, the record of truth, counted directly:
 * whatever was delivered twice, whoever else used the API, and wherever the month and the last
 * 30 days begin.
 */
class BillingSummaryTest extends BillingIntegrationTest {

    static final List<CalendarEdge> edges = CalendarEdge.ALL;

    private static final Instant LONG_AGO = Instant.parse("2024-01-01T00:00:00Z");

    private ApiClient portal;

    @BeforeEach
    void actAsCustomerService() {
        // Without vla.callers the fleet shares one internal token: the test's internal client is any caller.
        portal = internal;
    }

    @ParameterizedTest
    @FieldSource("edges")
    void theSummaryIsWhatUsageEventsSay(CalendarEdge edge) {
        pinClock(edge.now());
        UUID customer = createCustomer("Summary Robotics " + edge.name(), "enterprise", LONG_AGO);
        UUID other = createCustomer("Someone Else " + edge.name(), "enterprise", LONG_AGO);
        // The previous month's last 40 days, this month up to now, the customer's and another's;
        // the second customer's on the same days, so that a rollup keyed wrongly would mix them.
        Instant from = edge.monthStart().minus(Duration.ofDays(40));
        List<Event> events = new ArrayList<>(spread(customer, 2_000, from, edge.now()));
        events.add(new Event(customer, edge.monthStart().minusMillis(1)));
        events.add(new Event(customer, edge.monthStart()));
        events.add(new Event(customer, edge.now()));
        events.addAll(spread(other, 700, from, edge.now()));
        // At least once: a third of them again, shuffled, in other batches.
        List<Event> again = new ArrayList<>(events.subList(0, events.size() / 3));
        Collections.shuffle(again, new Random(edge.name().hashCode()));
        assertThat(deliver(events, 500)).isEqualTo(events.size());
        assertThat(deliver(again, 333)).isZero();

        Response response = portal.get("/internal/v1/customers/" + customer + "/billing-summary");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode summary = response.json();
        long requests = countEvents(customer, edge.monthStart(), edge.nextMonthStart());
        assertThat(summary.path("customer_id").asString()).isEqualTo(customer.toString());
        assertThat(summary.path("month").asString()).isEqualTo(edge.month().toString());
        assertThat(summary.path("tier").asString()).isEqualTo("enterprise");
        assertThat(summary.path("currency").asString()).isEqualTo("USD");
        assertThat(summary.path("requests").asLong()).isEqualTo(requests).isPositive();
        assertThat(summary.path("cost_so_far").isString()).isTrue();
        assertThat(summary.path("cost_so_far").asString())
                .isEqualTo(new BigDecimal("2500.00").add(new BigDecimal("0.01").multiply(BigDecimal.valueOf(requests)))
                        .toPlainString());
        assertThat(summary.path("projected_requests").asLong()).isEqualTo(Projection.requests(requests, edge.now()));
        assertThat(summary.path("projected_cost").asString()).isEqualTo(
                new BigDecimal("2500.00").add(new BigDecimal("0.01").multiply(
                        BigDecimal.valueOf(summary.path("projected_requests").asLong()))).toPlainString());

        JsonNode daily = summary.path("daily");
        LocalDate today = LocalDate.ofInstant(edge.now(), ZoneOffset.UTC);
        assertThat(daily.size()).isEqualTo(30);
        for (int i = 0; i < 30; i++) {
            LocalDate day = today.minusDays(29 - i);
            Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
            assertThat(daily.get(i).path("date").asString()).isEqualTo(day.toString());
            assertThat(daily.get(i).path("requests").asLong()).as(day.toString())
                    .isEqualTo(countEvents(customer, start, start.plus(Duration.ofDays(1))));
        }
    }

    @Test
    void daysWithoutRequestsAreZeroAndFlatTiersCostTheirFee() {
        pinClock(Instant.parse("2026-11-20T12:00:00Z"));
        UUID pro = createCustomer("Quiet Labs", "pro", LONG_AGO);
        deliver(List.of(new Event(pro, Instant.parse("2026-11-03T08:00:00Z")),
                new Event(pro, Instant.parse("2026-11-03T09:00:00Z")),
                new Event(pro, Instant.parse("2026-10-25T23:59:59.999Z"))), 10);

        JsonNode summary = portal.get("/internal/v1/customers/" + pro + "/billing-summary").json();

        assertThat(summary.path("requests").asLong()).isEqualTo(2);
        assertThat(summary.path("cost_so_far").asString()).isEqualTo("500.00");
        assertThat(summary.path("projected_requests").asLong()).as("2 in 19.5 of 30 days").isEqualTo(3);
        assertThat(summary.path("projected_cost").asString()).isEqualTo("500.00");
        JsonNode daily = summary.path("daily");
        assertThat(daily.get(0).path("date").asString()).isEqualTo("2026-10-22");
        assertThat(daily.get(3).path("requests").asLong()).as("2026-10-25").isEqualTo(1);
        assertThat(daily.get(12).path("requests").asLong()).as("2026-11-03").isEqualTo(2);
        assertThat(daily.get(29).path("date").asString()).isEqualTo("2026-11-20");
        long total = 0;
        for (JsonNode day : daily) {
            total += day.path("requests").asLong();
        }
        assertThat(total).isEqualTo(3);

        UUID free = createCustomer("New Free", "free", Instant.parse("2026-11-20T11:00:00Z"));
        JsonNode none = portal.get("/internal/v1/customers/" + free + "/billing-summary").json();
        assertThat(none.path("requests").asLong()).isZero();
        assertThat(none.path("cost_so_far").asString()).isEqualTo("0.00");
        assertThat(none.path("projected_cost").asString()).isEqualTo("0.00");
        assertThat(none.path("daily").size()).isEqualTo(30);
    }

    @Test
    void anUnknownCustomerIsA404WithTheStandardBody() {
        Response unknown = portal.get("/internal/v1/customers/" + UUID.randomUUID() + "/billing-summary");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("error").propertyNames())
                .containsExactly("type", "code", "message", "request_id");
        assertThat(unknown.errorCode()).isEqualTo("customer_not_found");
        assertThat(portal.get("/internal/v1/customers/not-a-uuid/billing-summary").errorCode())
                .isEqualTo("invalid_customer_id");
    }

    private static long countEvents(UUID customer, Instant from, Instant to) {
        return db().queryForObject("""
                SELECT count(*) FROM billing.usage_events WHERE customer_id = ? AND served_at >= ? AND served_at < ?""",
                Long.class, customer, from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC));
    }
}
