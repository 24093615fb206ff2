package com.vlaapi.inference;

import com.vlaapi.servicecontract.servlet.ServiceContractConfiguration;
import com.vlaapi.servicecontract.settings.DatabaseProperties;
import com.vlaapi.servicecontract.settings.InternalTokenProperties;
import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** Serves {@code POST /v1/inference} behind the gateway and logs every request for billing. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableConfigurationProperties({DatabaseProperties.class, InternalTokenProperties.class})
@Import(ServiceContractConfiguration.class)
public class InferenceServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(InferenceServiceApplication.class, args);
    }

    /** A request's arrival time decides its billing month (UTC); a bean so tests can pin "now". */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Connects as the role that owns the inference schema (deploy/postgres/roles.sql), unless
     * {@code vla.db.user} names another.
     */
    @Bean
    JdbcConnectionDetails database(DatabaseProperties database) {
        return database.connectionDetails("inference_service");
    }
}
