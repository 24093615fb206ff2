package com.vlaapi.inference.testdatabase;

import com.vlaapi.testsupport.database.TestDatabase;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * A PostgreSQL database of the test application's own (with customer-service's migrations, whose
 * views inference-service reads), created with the application context, pointed to by its
 * {@code vla.db.*} settings, and dropped once the application has stopped. Import it and inject
 * {@link TestDatabase} to query it.
 */
@TestConfiguration(proxyBeanMethods = false)
public class OwnTestDatabase {

    @Bean
    TestDatabase testDatabase() {
        return TestDatabase.create("inference").withMigrationsOf("customer-service", "customer");
    }

    @Bean
    DynamicPropertyRegistrar testDatabaseSettings(TestDatabase database) {
        return database::registerWith;
    }

    @Bean
    SmartLifecycle dropTestDatabase(TestDatabase database) {
        return database.dropWhenApplicationStops();
    }
}
