package com.vlaapi.testsupport.service;

import com.vlaapi.testsupport.database.TestDatabase;
import com.vlaapi.testsupport.http.ApiClient;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestExecutionListeners;

/**
 * A service's whole application on a random port against a fresh PostgreSQL database of its own,
 * called over HTTP as an operator or another service would. The context is never reused by another
 * test class; the database is dropped once the context is closed. A module's base class gives its
 * service the database it expects ({@link #useDatabase}) and adds what only that service needs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@TestExecutionListeners(listeners = RunningServiceTest.DropDatabaseAfterContext.class,
        mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
public abstract class RunningServiceTest {

    protected static final String ADMIN_TOKEN = "test-admin-token-0123456789";
    protected static final String INTERNAL_TOKEN = "test-internal-token-0123456789";

    /** The database of the test class running now: Surefire runs one class at a time. */
    protected static TestDatabase database;

    @LocalServerPort
    private int port;

    /** Sends no credentials. */
    protected ApiClient api;
    /** Calls as an operator: the admin bearer token. */
    protected ApiClient admin;
    /** Calls as another service: the internal token. */
    protected ApiClient internal;

    @DynamicPropertySource
    static void useTestTokens(DynamicPropertyRegistry registry) {
        registry.add("vla.admin-token", () -> ADMIN_TOKEN);
        registry.add("vla.internal-token", () -> INTERNAL_TOKEN);
    }

    /** For a module base's {@code @DynamicPropertySource}: the service's data source is {@code fresh}. */
    protected static void useDatabase(TestDatabase fresh, DynamicPropertyRegistry registry) {
        database = fresh;
        fresh.registerWith(registry);
    }

    @BeforeEach
    void createClients() {
        api = ApiClient.onPort(port);
        admin = api.withHeader("Authorization", "Bearer " + ADMIN_TOKEN);
        internal = api.withHeader("X-Internal-Token", INTERNAL_TOKEN);
    }

    protected int port() {
        return port;
    }

    static class DropDatabaseAfterContext extends AfterContextClosed {

        @Override
        protected void cleanUp() {
            if (database != null) {
                database.drop();
                database = null;
            }
        }
    }
}
