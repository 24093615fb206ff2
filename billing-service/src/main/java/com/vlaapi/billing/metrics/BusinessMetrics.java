package com.vlaapi.billing.metrics;

import com.vlaapi.billing.invoice.BillingMonth;
import com.vlaapi.billing.pricing.Pricing;
import com.vlaapi.billing.usage.UsagePipeline;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Business gauges for Prometheus, labelled by tier only (three values) so cardinality stays flat
 * however many customers there are; per-customer questions go to SQL. Re-read from the database
 * every {@code vla.billing.metrics.refresh-interval} in the background, never on the scrape.
 *
 * <ul>
 *   <li>{@code vla_billing_revenue_month_to_date{tier}}: what this month's invoices would total now
 *       (base fees plus usage), in the pricing currency;</li>
 *   <li>{@code vla_billing_customers{tier}};</li>
 *   <li>{@code vla_billing_billable_requests_month_to_date{tier}}: usage events stored this month;</li>
 *   <li>{@code vla_billing_usage_backlog_events} and {@code vla_billing_usage_lag_seconds}: billable
 *       requests not yet delivered from inference-service's outbox, and how long ago the oldest was
 *       served (-1 while unknown).</li>
 * </ul>
 */
@Component
class BusinessMetrics implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BusinessMetrics.class);
    private static final List<String> TIERS = List.of("free", "pro", "enterprise");

    record TierFigures(double revenue, long customers, long requests) {
    }

    record Snapshot(Map<String, TierFigures> tiers, double backlog, double lagSeconds) {
    }

    private final JdbcTemplate jdbc;
    private final Pricing pricing;
    private final UsagePipeline pipeline;
    private final Clock clock;
    private final BusinessMetricsProperties properties;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(new Snapshot(Map.of(), -1, -1));
    private ScheduledExecutorService scheduler;

    BusinessMetrics(JdbcTemplate jdbc, Pricing pricing, UsagePipeline pipeline, Clock clock,
                    BusinessMetricsProperties properties, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.pricing = pricing;
        this.pipeline = pipeline;
        this.clock = clock;
        this.properties = properties;
        for (String tier : TIERS) {
            Gauge.builder("vla.billing.revenue_month_to_date", snapshot, s -> figures(s, tier).revenue())
                    .description("This month's invoices so far: base fees plus usage (pricing currency)")
                    .tag("tier", tier).tag("currency", pricing.currency()).register(registry);
            Gauge.builder("vla.billing.customers", snapshot, s -> figures(s, tier).customers())
                    .description("Customers").tag("tier", tier).register(registry);
            Gauge.builder("vla.billing.billable_requests_month_to_date", snapshot, s -> figures(s, tier).requests())
                    .description("Billable requests stored this month (UTC)").tag("tier", tier).register(registry);
        }
        Gauge.builder("vla.billing.usage_backlog_events", snapshot, s -> s.get().backlog())
                .description("Billable requests not yet delivered to billing (inference-service's usage outbox)")
                .register(registry);
        Gauge.builder("vla.billing.usage_lag_seconds", snapshot, s -> s.get().lagSeconds())
                .description("How long ago the oldest undelivered billable request was served; 0 when none wait")
                .register(registry);
    }

    private static TierFigures figures(AtomicReference<Snapshot> s, String tier) {
        return s.get().tiers().getOrDefault(tier, new TierFigures(0, 0, 0));
    }

    /** Public for tests: reads everything once, now. */
    void refresh() {
        BillingMonth month = BillingMonth.containing(clock.instant());
        Map<String, BigDecimal> revenue = new HashMap<>();
        Map<String, Long> customers = new HashMap<>();
        Map<String, Long> requests = new HashMap<>();
        jdbc.query("""
                SELECT c.tier, COALESCE(u.n, 0) FROM customer.customers_v1 c
                LEFT JOIN (SELECT customer_id, count(*) AS n FROM billing.usage_events
                           WHERE served_at >= ? AND served_at < ? GROUP BY customer_id) u USING (customer_id)
                WHERE c.created_at < ?""", rs -> {
            String tier = rs.getString(1);
            long n = rs.getLong(2);
            customers.merge(tier, 1L, Long::sum);
            requests.merge(tier, n, Long::sum);
            revenue.merge(tier, pricing.monthly(tier, n).total(), BigDecimal::add);
        }, utc(month.start()), utc(month.end()), utc(month.end()));
        Map<String, TierFigures> tiers = new HashMap<>();
        for (String tier : TIERS) {
            tiers.put(tier, new TierFigures(revenue.getOrDefault(tier, BigDecimal.ZERO).doubleValue(),
                    customers.getOrDefault(tier, 0L), requests.getOrDefault(tier, 0L)));
        }
        UsagePipeline.Backlog backlog = pipeline.backlog();
        snapshot.set(new Snapshot(tiers, backlog.events(), backlog.lagSeconds()));
    }

    Snapshot snapshot() {
        return snapshot.get();
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            log.warn("business metrics: refresh failed, keeping the last values: {}", e.getMessage());
        }
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "business-metrics");
            t.setDaemon(true);
            return t;
        });
        long period = properties.refreshInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::refreshQuietly, 0, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    private static OffsetDateTime utc(java.time.Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
