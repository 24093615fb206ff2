package com.vlaapi.gateway;

import com.vlaapi.testsupport.clock.MutableClock;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;

/**
 * The gateway on a random port against the real Redis (the stand-ins' key prefix), its neighbours
 * played by {@link StandIns}, its clock one the test sets and moves. Each test class gets a context
 * and stand-ins of its own; after the class, its keys are deleted and the stand-ins stopped.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
// A request the gateway never answers fails its test instead of stalling the build (once, the JDK
// client waited 18 minutes on the management port).
@Timeout(value = 2, unit = TimeUnit.MINUTES)
abstract class GatewayOnStandInsTest {

    /** The stand-ins of the test class running now, made while its context is built. */
    static StandIns standIns;

    /** The real time when the context starts, until a test sets or moves it. */
    @TestBean(methodName = "com.vlaapi.testsupport.clock.MutableClock#startingNow")
    private Clock gatewayClock;

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    StringRedisTemplate redis;

    // HTTP/1.1: the JDK client's h2c upgrade attempts can stall under many concurrent requests.
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @DynamicPropertySource
    static void useStandIns(DynamicPropertyRegistry registry) {
        standIns = new StandIns();
        standIns.register(registry);
    }

    @AfterAll
    static void stopStandIns(@Autowired StringRedisTemplate redis) {
        standIns.close();
        standIns.deleteKeys(redis);
    }

    MutableClock clock() {
        return (MutableClock) gatewayClock;
    }
}
