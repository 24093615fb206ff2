package com.vlaapi.customer.support;

import com.vlaapi.testsupport.database.TestDatabase;
import com.vlaapi.testsupport.http.ApiClient;
import com.vlaapi.testsupport.http.ApiClient.Response;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.Ordered;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;
import org.springframework.test.context.TestExecutionListeners;

/**
 * The whole service on a random port against its own fresh PostgreSQL database and its own Redis
 * key prefix; which Redis is the subclass's choice ({@link IntegrationTest}: the test machine's).
 * The context is never reused by another test class; the database is dropped and the prefix's
 * keys deleted once the context is closed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@TestExecutionListeners(listeners = ServiceTest.DropDatabaseAfterContext.class,
        mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
public abstract class ServiceTest {

    protected static final String ADMIN_TOKEN = "test-admin-token-0123456789";
    protected static final String INTERNAL_TOKEN = "test-internal-token-0123456789";

    protected static TestDatabase database;
    protected static String redisPrefix;

    @LocalServerPort
    private int port;

    /** Sends no credentials. */
    protected ApiClient api;
    /** Calls as an operator: the admin bearer token. */
    protected ApiClient admin;
    /** Calls as another service: the internal token. */
    protected ApiClient internal;

    @DynamicPropertySource
    static void useFreshDatabase(DynamicPropertyRegistry registry) {
        TestDatabase fresh = TestDatabase.create("customer");
        database = fresh;
        fresh.registerWith(registry);
        registry.add("vla.admin-token", () -> ADMIN_TOKEN);
        registry.add("vla.internal-token", () -> INTERNAL_TOKEN);
        String prefix = TestRedis.newPrefix();
        redisPrefix = prefix;
        registry.add("vla.redis.prefix", () -> prefix);
    }

    @BeforeEach
    void createClients() {
        api = ApiClient.onPort(port);
        admin = api.withHeader("Authorization", "Bearer " + ADMIN_TOKEN);
        internal = api.withHeader("X-Internal-Token", INTERNAL_TOKEN);
    }

    /** Creates a customer with a unique email and returns the 201 response. */
    protected Response createCustomer(String tier) {
        String email = "ops-" + UUID.randomUUID() + "@example.com";
        return admin.post("/admin/v1/customers",
                "{\"company_name\": \"Acme Robotics\", \"email\": \"" + email + "\", \"tier\": \"" + tier + "\"}");
    }

    protected int port() {
        return port;
    }

    /**
     * "After" callbacks run in reverse order, so the highest precedence makes this run last:
     * after @DirtiesContext has closed the context and its connection pool.
     */
    static class DropDatabaseAfterContext implements TestExecutionListener, Ordered {

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }

        @Override
        public void afterTestClass(TestContext testContext) {
            if (database != null) {
                database.drop();
                database = null;
            }
            if (redisPrefix != null) {
                try (TestRedis redis = new TestRedis()) {
                    redis.deleteKeysStartingWith(redisPrefix);
                }
                redisPrefix = null;
            }
        }
    }
}
