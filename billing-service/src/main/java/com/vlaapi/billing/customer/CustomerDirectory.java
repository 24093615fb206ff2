package com.vlaapi.billing.customer;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Customers as customer-service publishes them ({@code customer.customers_v1}, its public read
 * model in the same database; its tables are its own). The tier is the customer's current one: a
 * tier change mid-month bills the whole month at the new tier (customer-service keeps no tier
 * history yet).
 */
@Repository
public class CustomerDirectory {

    private final JdbcTemplate jdbc;

    public CustomerDirectory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Customers that existed before {@code before}: the ones a period ending then bills. */
    public List<BillableCustomer> createdBefore(Instant before) {
        return jdbc.query("""
                SELECT customer_id, company_name, email, tier, created_at FROM customer.customers_v1
                WHERE created_at < ? ORDER BY company_name, customer_id""",
                CustomerDirectory::customer, OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
    }

    /** The customer with this id, at its current tier; empty for an id customer-service does not know. */
    public Optional<BillableCustomer> find(UUID customerId) {
        return jdbc.query("""
                SELECT customer_id, company_name, email, tier, created_at FROM customer.customers_v1
                WHERE customer_id = ?""", CustomerDirectory::customer, customerId).stream().findFirst();
    }

    private static BillableCustomer customer(ResultSet rs, int row) throws SQLException {
        return new BillableCustomer(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getObject(5, OffsetDateTime.class).toInstant());
    }
}
