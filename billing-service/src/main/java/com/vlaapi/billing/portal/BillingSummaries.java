package com.vlaapi.billing.portal;

import com.vlaapi.billing.customer.BillableCustomer;
import com.vlaapi.billing.invoice.BillingMonth;
import com.vlaapi.billing.pricing.Pricing;
import com.vlaapi.billing.usage.DailyUsage;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * A customer's billing summary from the daily rollup ({@link DailyUsage}): a handful of rows by
 * primary key, so the portal's page costs the same for a customer with a million requests this
 * month as for one with none. Prices are {@link Pricing}'s, the rules invoices use.
 */
@Service
class BillingSummaries {

    static final int DAYS = 30;

    private final DailyUsage usage;
    private final Pricing pricing;
    private final Clock clock;

    BillingSummaries(DailyUsage usage, Pricing pricing, Clock clock) {
        this.usage = usage;
        this.pricing = pricing;
        this.clock = clock;
    }

    BillingSummary of(BillableCustomer customer) {
        UUID customerId = customer.customerId();
        // One reading of the clock: the month, the 30 days and the projection agree on "now".
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate firstOfWindow = today.minusDays(DAYS - 1);
        BillingMonth month = BillingMonth.containing(now);
        // Through the month's end, not today: an event a clock ahead of ours dated tomorrow is this month's, as on the invoice.
        LocalDate from = firstOfWindow.isBefore(month.firstDay()) ? firstOfWindow : month.firstDay();
        SortedMap<LocalDate, Long> days = usage.of(customerId, from, month.nextMonthFirstDay());

        long requests = days.tailMap(month.firstDay()).values().stream().mapToLong(Long::longValue).sum();
        List<BillingSummary.Day> daily = new ArrayList<>(DAYS);
        for (LocalDate day = firstOfWindow; !day.isAfter(today); day = day.plusDays(1)) {
            daily.add(new BillingSummary.Day(day, days.getOrDefault(day, 0L)));
        }
        long projected = Projection.requests(requests, now);
        return new BillingSummary(customerId, month.toString(), customer.tier(), pricing.currency(), requests,
                cost(customer.tier(), requests), projected, cost(customer.tier(), projected), daily);
    }

    private String cost(String tier, long requests) {
        return pricing.monthly(tier, requests).total().toPlainString();
    }
}
