package com.vlaapi.billing.invoice;

import com.vlaapi.billing.customer.BillableCustomer;
import com.vlaapi.billing.customer.CustomerDirectory;
import com.vlaapi.billing.pricing.Charges;
import com.vlaapi.billing.pricing.Pricing;
import com.vlaapi.billing.usage.UsageCounts;
import com.vlaapi.billing.usage.UsagePipeline;
import com.vlaapi.servicecontract.error.ApiException;
import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Monthly invoices from stored usage: for every customer that existed during the month, a base-fee
 * line and a usage line priced by {@link Pricing}. Idempotent: a run rewrites the month's drafts in
 * place and leaves finalized invoices alone, so running it twice leaves one invoice per customer.
 */
@Service
public class InvoiceGenerator {

    /** @param finalizedUnchanged invoices of the month already finalized, which the run left as they were */
    public record Generation(String month, int drafts, int finalizedUnchanged, List<Invoice> invoices) {
    }

    private final CustomerDirectory customers;
    private final UsageCounts usage;
    private final UsagePipeline pipeline;
    private final Pricing pricing;
    private final InvoiceRepository invoices;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    InvoiceGenerator(CustomerDirectory customers, UsageCounts usage, UsagePipeline pipeline, Pricing pricing,
                     InvoiceRepository invoices, JdbcTemplate jdbc, Clock clock) {
        this.customers = customers;
        this.usage = usage;
        this.pipeline = pipeline;
        this.pricing = pricing;
        this.invoices = invoices;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional
    public Generation generate(BillingMonth month) {
        lockMonth(month);
        Instant now = now();
        Map<UUID, Long> requests = usage.perCustomer(month.start(), month.end());
        int drafts = 0;
        int finalized = 0;
        for (BillableCustomer customer : customers.createdBefore(month.end())) {
            Optional<InvoiceEntity> existing = invoices.findByCustomerIdAndPeriodStart(customer.customerId(),
                    month.firstDay());
            if (existing.isPresent() && !existing.get().isDraft()) {
                finalized++;
                continue;
            }
            InvoiceEntity invoice = existing.orElseGet(() -> new InvoiceEntity(customer.customerId(), month));
            Charges charges = pricing.monthly(customer.tier(), requests.getOrDefault(customer.customerId(), 0L));
            invoice.redraft(customer.companyName(), customer.email(), customer.tier(), pricing.currency(),
                    charges.requests(), charges.total(), lines(customer.tier(), month, charges), now);
            if (existing.isEmpty()) {
                // Saved once complete: Hibernate inserts the state an entity has when it is saved.
                invoices.save(invoice);
            }
            drafts++;
        }
        return new Generation(month.toString(), drafts, finalized, invoices.invoicesOf(month));
    }

    /**
     * Regenerates the month's drafts from everything stored, then finalizes them. Refused while the
     * month is not over, or while requests served in it are still waiting to reach billing: a
     * finalized invoice is never corrected, so it must not miss late usage.
     */
    @Transactional
    public Generation finalizeMonth(BillingMonth month) {
        if (!month.isOver(clock)) {
            throw new ApiException(HttpStatus.CONFLICT, "month_not_over",
                    "month " + month + " has not ended yet (UTC); its invoices can be generated as drafts but"
                    + " finalized only from " + month.end() + ".");
        }
        List<String> journalsBehind = pipeline.journalsBehind(month.end());
        if (!journalsBehind.isEmpty()) {
            throw new ApiException(HttpStatus.CONFLICT, "usage_in_transit",
                    "requests served before " + month.end() + " may still wait in inference-service request journals "
                    + String.join(", ", journalsBehind) + ": retry when they are stored. An instance that crashed"
                    + " stores its journal when started again on the same folder; see docs/modules/billing-service.md"
                    + " for a journal whose folder is lost.");
        }
        long waiting = pipeline.waitingServedBefore(month.end());
        if (waiting > 0) {
            throw new ApiException(HttpStatus.CONFLICT, "usage_in_transit",
                    waiting + " billable requests served before " + month.end() + " have not reached billing yet"
                    + " (inference-service's usage outbox); retry when the usage relay has delivered them.");
        }
        generate(month);
        Instant now = now();
        invoices.findByPeriodStartOrderByCompanyNameAscCustomerIdAsc(month.firstDay()).stream()
                .filter(InvoiceEntity::isDraft).forEach(invoice -> invoice.finalizeAt(now));
        List<Invoice> all = invoices.invoicesOf(month);
        return new Generation(month.toString(), 0, all.size(), all);
    }

    /**
     * One generation of a month at a time: two concurrent runs would both find no invoice for a
     * customer and both create one (the unique (customer_id, period_start) would fail the second).
     * The lock is PostgreSQL's, so it holds across instances, and ends with the transaction.
     */
    private void lockMonth(BillingMonth month) {
        jdbc.query("SELECT pg_advisory_xact_lock(hashtext('billing.invoices'), ?)", rs -> { },
                month.month().getYear() * 100 + month.month().getMonthValue());
    }

    /** PostgreSQL keeps microseconds: a time answered now must equal the one read back later. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private List<LineItem> lines(String tier, BillingMonth month, Charges charges) {
        List<LineItem> lines = new ArrayList<>(2);
        String monthName = month.month().getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " "
                + month.month().getYear();
        lines.add(new LineItem("base_fee", capitalize(tier) + " plan, " + monthName, 1, charges.baseFee(),
                charges.baseFee()));
        BigDecimal unit = charges.price().perRequest();
        NumberFormat count = NumberFormat.getIntegerInstance(Locale.US);
        String description = count.format(charges.requests()) + " requests";
        if (charges.price().includedRequests() > 0) {
            description += ", " + count.format(charges.price().includedRequests()) + " included in the plan";
        }
        if (unit.signum() > 0) {
            description += "; " + count.format(charges.chargeableRequests()) + " at " + pricing.currency() + " "
                    + unit.stripTrailingZeros().toPlainString() + " each";
        }
        lines.add(new LineItem("usage", description, charges.chargeableRequests(), unit, charges.usage()));
        return lines;
    }

    private static String capitalize(String tier) {
        return tier.isEmpty() ? tier : Character.toUpperCase(tier.charAt(0)) + tier.substring(1);
    }
}
