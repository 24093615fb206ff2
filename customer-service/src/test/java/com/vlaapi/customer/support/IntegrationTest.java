package com.vlaapi.customer.support;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The service with the test machine's Redis (own key prefix). */
public abstract class IntegrationTest extends ServiceTest {

    @DynamicPropertySource
    static void useTestRedis(DynamicPropertyRegistry registry) {
        registry.add("vla.redis.host", () -> TestRedis.HOST);
        registry.add("vla.redis.port", () -> TestRedis.PORT);
    }
}
