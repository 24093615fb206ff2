package com.vlaapi.customer.support;

import com.vlaapi.testsupport.database.TestDatabase;
import com.vlaapi.testsupport.http.ApiClient.Response;
import com.vlaapi.testsupport.service.AfterContextClosed;
import com.vlaapi.testsupport.service.RunningServiceTest;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestExecutionListeners;

/**
 * customer-service as {@link RunningServiceTest} runs it, with a Redis key prefix of its own; which
 * Redis is the subclass's choice ({@link IntegrationTest}: the test machine's). The prefix's keys
 * are deleted once the context is closed.
 */
@TestExecutionListeners(listeners = ServiceTest.DeleteRedisKeysAfterContext.class,
        mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
public abstract class ServiceTest extends RunningServiceTest {

    protected static String redisPrefix;

    @DynamicPropertySource
    static void useFreshDatabaseAndRedisPrefix(DynamicPropertyRegistry registry) {
        useDatabase(TestDatabase.create("customer"), registry);
        String prefix = TestRedis.newPrefix();
        redisPrefix = prefix;
        registry.add("vla.redis.prefix", () -> prefix);
    }

    /** Creates a customer with a unique email and returns the 201 response. */
    protected Response createCustomer(String tier) {
        String email = "ops-" + UUID.randomUUID() + "@example.com";
        return admin.post("/admin/v1/customers",
                "{\"company_name\": \"Acme Robotics\", \"email\": \"" + email + "\", \"tier\": \"" + tier + "\"}");
    }

    static class DeleteRedisKeysAfterContext extends AfterContextClosed {

        @Override
        protected void cleanUp() {
            if (redisPrefix != null) {
                try (TestRedis redis = new TestRedis()) {
                    redis.deleteKeysStartingWith(redisPrefix);
                }
                redisPrefix = null;
            }
        }
    }
}
