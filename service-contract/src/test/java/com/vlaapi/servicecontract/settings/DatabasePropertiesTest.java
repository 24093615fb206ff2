package com.vlaapi.servicecontract.settings;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class DatabasePropertiesTest {

    @Configuration
    @EnableConfigurationProperties(DatabaseProperties.class)
    static class BindDatabase {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(BindDatabase.class);

    @Test
    void eachServiceConnectsToTheLocalDatabaseAsItsOwnRoleByDefault() {
        context.run(started -> {
            JdbcConnectionDetails db = started.getBean(DatabaseProperties.class).connectionDetails("billing_service");

            assertThat(db.getJdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/vlaapi");
            assertThat(db.getUsername()).isEqualTo("billing_service");
            assertThat(db.getPassword()).isNull();
            assertThat(db.getDriverClassName()).isEqualTo("org.postgresql.Driver");
        });
    }

    @Test
    void aConfiguredRoleReplacesTheServicesOwn() {
        context.withPropertyValues("vla.db.user=ops", "vla.db.password=pw").run(started -> {
            JdbcConnectionDetails db = started.getBean(DatabaseProperties.class).connectionDetails("billing_service");

            assertThat(db.getUsername()).isEqualTo("ops");
            assertThat(db.getPassword()).isEqualTo("pw");
        });
    }

    @Test
    void neverPrintsThePassword() {
        context.withPropertyValues("vla.db.password=s3cret-password").run(started ->
                assertThat(started.getBean(DatabaseProperties.class).toString()).doesNotContain("s3cret-password"));
    }
}
