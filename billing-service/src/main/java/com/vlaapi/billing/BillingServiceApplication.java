package com.vlaapi.billing;

import com.vlaapi.servicecontract.InternalToken;
import com.vlaapi.servicecontract.servlet.AccessTokensConfiguration;
import com.vlaapi.servicecontract.servlet.InternalApiCallers;
import com.vlaapi.servicecontract.servlet.ServiceContractConfiguration;
import com.vlaapi.servicecontract.settings.DatabaseProperties;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Usage, invoices and reports: stores each billable request once (delivered by inference-service's
 * usage relay), prices it, generates monthly invoices and operators' reports, and owns the
 * read-only reporting views operators query.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableConfigurationProperties(DatabaseProperties.class)
@Import({ServiceContractConfiguration.class, AccessTokensConfiguration.class})
public class BillingServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(BillingServiceApplication.class, args);
    }

    /** Billing periods are UTC; a bean so tests can bill "now" at a chosen instant. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Its internal API serves two callers, each only its own endpoints: usage events come from
     * inference-service alone (no other credential can forge usage), and the customer portal's
     * reads (a customer's billing summary and invoices) are answered to customer-service alone.
     */
    @Bean
    InternalApiCallers internalApiCallers() {
        return new InternalApiCallers(Set.of(InternalToken.INFERENCE),
                Map.of("/internal/v1/customers/**", Set.of(InternalToken.CUSTOMER)));
    }

    /**
     * Connects as the role that owns the billing and reporting schemas (deploy/postgres/roles.sql), unless
     * {@code vla.db.user} names another.
     */
    @Bean
    JdbcConnectionDetails database(DatabaseProperties database) {
        return database.connectionDetails("billing_service");
    }
}
