package com.vlaapi.customer.keyevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.vlaapi.customer.support.ServiceTest;
import com.vlaapi.customer.support.TcpForwarder;
import com.vlaapi.customer.support.TestRedis.Subscription;
import com.vlaapi.customer.support.TestRedis;
import com.vlaapi.servicecontract.apikey.ApiKeyHashes;
import com.vlaapi.testsupport.http.ApiClient.Response;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Redis is down (nothing listens on the service's Redis port) until a test brings it back. */
class KeyEventsWithoutRedisTest extends ServiceTest {

    private static final int REDIS_PORT = TcpForwarder.freePort();
    private static final int RETRIES = 3;
    private static final Pattern FAILED_COUNTER =
            Pattern.compile("(?m)^vla_key_events_failed_total(?:\\{[^}]*})? (\\S+)$");

    @DynamicPropertySource
    static void pointAtAClosedPort(DynamicPropertyRegistry registry) {
        registry.add("vla.redis.host", () -> "127.0.0.1");
        registry.add("vla.redis.port", () -> REDIS_PORT);
        registry.add("vla.customer.key-events.retries", () -> RETRIES);
        registry.add("vla.customer.key-events.retry-delay", () -> "200ms");
    }

    @Test
    void adminChangesSucceedAndTheirInvalidationIsRetriedForABoundedTime() throws Exception {
        JsonNode created = createCustomer("pro").json();
        String keysPath = "/admin/v1/customers/" + created.path("customer").path("customer_id").asString() + "/api-keys";
        JsonNode second = admin.post(keysPath, "{}").json();

        Response revoked = admin.post(keysPath + "/" + created.path("api_key").path("key_id").asString() + "/revoke", "");

        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.json().path("status").asString()).isEqualTo("revoked");
        assertThat(internal.get("/internal/v1/api-keys/" + ApiKeyHashes.sha256Hex(
                created.path("api_key").path("key").asString())).json().path("key_status").asString()).isEqualTo("revoked");
        assertThat(api.send(api.request("/actuator/health").GET()).status()).isEqualTo(200);
        // The first attempt and every retry fail, then the relay gives up.
        await().atMost(Duration.ofSeconds(10)).until(() -> failedEvents() == 1 + RETRIES);
        Thread.sleep(1_000);
        assertThat(failedEvents()).isEqualTo(1 + RETRIES);

        // Redis comes back between the first attempt and a retry: the retry delivers.
        String secondHash = ApiKeyHashes.sha256Hex(second.path("key").asString());
        try (TestRedis redis = new TestRedis();
             Subscription<String> events = redis.subscribe(redisPrefix + "key-events")) {
            redis.set(redisPrefix + "apikey:" + secondHash, "{\"key_status\": \"active\"}");

            assertThat(admin.patch(keysPath + "/" + second.path("key_id").asString(),
                    "{\"expires_in_seconds\": 60}").status()).isEqualTo(200);
            assertThat(failedEvents()).isEqualTo(2 + RETRIES);
            try (TcpForwarder redisIsBack = TcpForwarder.start(REDIS_PORT, TestRedis.HOST, TestRedis.PORT)) {
                String message = events.next(Duration.ofSeconds(5));

                assertThat(message).isNotNull();
                JsonNode event = JsonMapper.shared().readTree(message);
                assertThat(event.path("reason").asString()).isEqualTo("expiry_changed");
                assertThat(event.path("key_hashes").get(0).asString()).isEqualTo(secondHash);
                assertThat(redis.exists(redisPrefix + "apikey:" + secondHash)).isFalse();
                assertThat(failedEvents()).isEqualTo(2 + RETRIES);
            }
        }
    }

    private double failedEvents() {
        Matcher counter = FAILED_COUNTER.matcher(api.send(api.request("/actuator/prometheus").GET()).body());
        assertThat(counter.find()).as("vla_key_events_failed_total is exported").isTrue();
        return Double.parseDouble(counter.group(1));
    }
}
