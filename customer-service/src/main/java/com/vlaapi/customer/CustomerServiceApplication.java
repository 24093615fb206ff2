package com.vlaapi.customer;

import com.vlaapi.servicecontract.InternalToken;
import com.vlaapi.servicecontract.servlet.AccessTokensConfiguration;
import com.vlaapi.servicecontract.servlet.InternalApiCallers;
import com.vlaapi.servicecontract.servlet.ServiceContractConfiguration;
import com.vlaapi.servicecontract.settings.DatabaseProperties;
import com.vlaapi.servicecontract.settings.RedisProperties;
import java.time.Clock;
import java.util.Set;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** Owns customers and their API keys: the admin API, and key lookup for the gateway. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableConfigurationProperties({DatabaseProperties.class, RedisProperties.class})
@Import({ServiceContractConfiguration.class, AccessTokensConfiguration.class})
public class CustomerServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(CustomerServiceApplication.class, args);
    }

    /** Stored times are UTC; a bean so tests can pin "now" (creation, expiry, revocation). */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Its internal API (key lookups and last uses) serves gateway alone. */
    @Bean
    InternalApiCallers internalApiCallers() {
        return new InternalApiCallers(Set.of(InternalToken.GATEWAY));
    }

    /**
     * Connects as the role that owns the customer schema (deploy/postgres/roles.sql), unless
     * {@code vla.db.user} names another.
     */
    @Bean
    JdbcConnectionDetails database(DatabaseProperties database) {
        return database.connectionDetails("customer_service");
    }
}
