package com.vlaapi.customer.customer;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class CustomerRepository {

    private static final String COLUMNS =
            "customer_id, company_name, email, tier, monthly_quota, rate_limit_per_minute, status, created_at";

    private final JdbcClient jdbc;
    private final Clock clock;

    CustomerRepository(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * created_at comes from the clock, not the column's default now(): billing decides by it which
     * customers a month's invoices include, and tests pin it.
     *
     * @throws org.springframework.dao.DuplicateKeyException when the email already has an account
     */
    Customer insert(NewCustomer customer) {
        return jdbc.sql("""
                        INSERT INTO customers
                            (company_name, email, tier, monthly_quota, rate_limit_per_minute, created_at)
                        VALUES
                            (:companyName, :email, :tier, :monthlyQuota, :rateLimitPerMinute, CAST(:now AS timestamptz))
                        RETURNING\s""" + COLUMNS)
                .param("now", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .param("companyName", customer.companyName())
                .param("email", customer.email())
                .param("tier", customer.tier().id())
                .param("monthlyQuota", customer.limits().monthlyQuota())
                .param("rateLimitPerMinute", customer.limits().rateLimitPerMinute())
                .query(CustomerRepository::toCustomer)
                .single();
    }

    Optional<Customer> update(UUID customerId, CustomerUpdate update) {
        return jdbc.sql("""
                        UPDATE customers SET
                            tier = coalesce(CAST(:tier AS text), tier),
                            monthly_quota = coalesce(CAST(:monthlyQuota AS bigint), monthly_quota),
                            rate_limit_per_minute = coalesce(CAST(:rateLimitPerMinute AS int), rate_limit_per_minute),
                            status = coalesce(CAST(:status AS text), status)
                        WHERE customer_id = :customerId
                        RETURNING\s""" + COLUMNS)
                .param("customerId", customerId)
                .param("tier", update.tier() != null ? update.tier().id() : null)
                .param("monthlyQuota", update.monthlyQuota())
                .param("rateLimitPerMinute", update.rateLimitPerMinute())
                .param("status", update.status() != null ? update.status().id() : null)
                .query(CustomerRepository::toCustomer)
                .optional();
    }

    Optional<Customer> findById(UUID customerId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM customers WHERE customer_id = :customerId")
                .param("customerId", customerId)
                .query(CustomerRepository::toCustomer)
                .optional();
    }

    boolean exists(UUID customerId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM customers WHERE customer_id = :customerId)")
                .param("customerId", customerId)
                .query(Boolean.class)
                .single();
    }

    List<Customer> findAll() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM customers ORDER BY created_at, customer_id")
                .query(CustomerRepository::toCustomer)
                .list();
    }

    private static Customer toCustomer(ResultSet row, int rowNumber) throws SQLException {
        return new Customer(
                row.getObject("customer_id", UUID.class),
                row.getString("company_name"),
                row.getString("email"),
                Tier.fromId(row.getString("tier")).orElseThrow(),
                row.getLong("monthly_quota"),
                row.getInt("rate_limit_per_minute"),
                CustomerStatus.fromId(row.getString("status")),
                row.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
