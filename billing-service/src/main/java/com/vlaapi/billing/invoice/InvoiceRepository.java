package com.vlaapi.billing.invoice;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** {@code billing.invoices} and their line items. */
@Repository
class InvoiceRepository {

    /** An invoice's header as the generator computed it. */
    record Draft(UUID customerId, String companyName, String email, String tier, LocalDate periodStart,
                 LocalDate periodEnd, String currency, long requests, BigDecimal total, Instant generatedAt) {
    }

    private static final String SELECT = """
            SELECT invoice_id, customer_id, company_name, email, tier, period_start, period_end, status, currency,
                   requests, total, generated_at, finalized_at
            FROM billing.invoices""";

    private final JdbcTemplate jdbc;

    InvoiceRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Creates the draft or rewrites the existing draft of (customer, month); returns empty when that
     * invoice is finalized, which nothing changes. The unique (customer_id, period_start) makes a
     * second run, or two concurrent runs, update the one invoice instead of adding another.
     */
    Optional<UUID> upsertDraft(Draft d) {
        List<UUID> ids = jdbc.queryForList("""
                INSERT INTO billing.invoices (customer_id, period_start, period_end, status, company_name, email, tier,
                                              currency, requests, total, generated_at)
                VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (customer_id, period_start) DO UPDATE
                   SET company_name = EXCLUDED.company_name, email = EXCLUDED.email, tier = EXCLUDED.tier,
                       currency = EXCLUDED.currency, requests = EXCLUDED.requests, total = EXCLUDED.total,
                       generated_at = EXCLUDED.generated_at
                 WHERE billing.invoices.status = 'draft'
                RETURNING invoice_id""", UUID.class,
                d.customerId(), d.periodStart(), d.periodEnd(), d.companyName(), d.email(), d.tier(), d.currency(),
                d.requests(), d.total(), utc(d.generatedAt()));
        return ids.stream().findFirst();
    }

    void replaceLines(UUID invoiceId, List<LineItem> lines) {
        jdbc.update("DELETE FROM billing.invoice_line_items WHERE invoice_id = ?", invoiceId);
        for (int i = 0; i < lines.size(); i++) {
            LineItem line = lines.get(i);
            jdbc.update("""
                    INSERT INTO billing.invoice_line_items (invoice_id, line_no, kind, description, quantity, unit_price,
                                                            amount)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""",
                    invoiceId, i + 1, line.kind(), line.description(), line.quantity(), line.unitPrice(), line.amount());
        }
    }

    List<Invoice> findByPeriod(LocalDate periodStart) {
        return withLines(jdbc.query(SELECT + " WHERE period_start = ? ORDER BY company_name, customer_id",
                InvoiceRepository::header, periodStart));
    }

    Optional<Invoice> findById(UUID invoiceId) {
        return withLines(jdbc.query(SELECT + " WHERE invoice_id = ?", InvoiceRepository::header, invoiceId))
                .stream().findFirst();
    }

    /** Finalizes every draft of the month; returns how many. */
    int finalizeDrafts(LocalDate periodStart, Instant at) {
        return jdbc.update("""
                UPDATE billing.invoices SET status = 'finalized', finalized_at = ?
                WHERE period_start = ? AND status = 'draft'""", utc(at), periodStart);
    }

    private List<Invoice> withLines(List<Invoice> headers) {
        if (headers.isEmpty()) {
            return headers;
        }
        Map<UUID, List<LineItem>> lines = new LinkedHashMap<>();
        UUID[] ids = headers.stream().map(Invoice::invoiceId).toArray(UUID[]::new);
        jdbc.query(connection -> {
            var ps = connection.prepareStatement("""
                    SELECT invoice_id, kind, description, quantity, unit_price, amount
                    FROM billing.invoice_line_items WHERE invoice_id = ANY(?) ORDER BY invoice_id, line_no""");
            ps.setArray(1, connection.createArrayOf("uuid", ids));
            return ps;
        }, rs -> {
            lines.computeIfAbsent(rs.getObject(1, UUID.class), id -> new ArrayList<>()).add(new LineItem(
                    rs.getString(2), rs.getString(3), rs.getLong(4), rs.getBigDecimal(5), rs.getBigDecimal(6)));
        });
        return headers.stream().map(h -> new Invoice(h.invoiceId(), h.customerId(), h.companyName(), h.email(),
                h.tier(), h.period(), h.periodStart(), h.periodEnd(), h.status(), h.currency(), h.requests(),
                List.copyOf(lines.getOrDefault(h.invoiceId(), List.of())), h.total(), h.generatedAt(),
                h.finalizedAt())).toList();
    }

    private static Invoice header(ResultSet rs, int row) throws SQLException {
        LocalDate start = rs.getObject(6, LocalDate.class);
        OffsetDateTime finalized = rs.getObject(13, OffsetDateTime.class);
        return new Invoice(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                rs.getString(5), YearMonth.from(start).toString(), start, rs.getObject(7, LocalDate.class),
                rs.getString(8), rs.getString(9), rs.getLong(10), List.of(), rs.getBigDecimal(11),
                rs.getObject(12, OffsetDateTime.class).toInstant(), finalized == null ? null : finalized.toInstant());
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
