package com.vlaapi.inference.api;

import static com.vlaapi.inference.support.Gateway.body;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.inference.support.Gateway;
import com.vlaapi.testsupport.database.TestDatabase;
import com.vlaapi.testsupport.http.ApiClient;
import com.vlaapi.testsupport.http.ApiClient.Response;
import com.vlaapi.testsupport.images.BadImages;
import com.vlaapi.testsupport.service.RunningServiceTest;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What images of hostile shapes cost the service: a thousand requests, each with a different
 * extreme aspect ratio (N x 1 and 1 x N, N on both sides of the longest side allowed), are each
 * answered 200 or 4xx, and leave the heap where it was once garbage is collected. Before the side
 * limit and the bounded resize cache, every new width kept its filter weights for good.
 */
class ImageCostIntegrationTest extends RunningServiceTest {

    private static final int REQUESTS = 1_000;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        useDatabase(TestDatabase.create("inference").withMigrationsOf("customer-service", "customer"), registry);
        registry.add("vla.inference.usage-relay.enabled", () -> "false");
    }

    @Test
    void imagesOfExtremeAspectRatiosAreAnsweredAndLeaveTheHeapAsItWas() {
        ApiClient gateway = internal.withHeader("X-Vla-Customer-Id", Gateway.CUSTOMER.toString())
                .withHeader("X-Vla-Api-Key-Id", Gateway.API_KEY.toString());
        for (int warmUp = 0; warmUp < 20; warmUp++) {
            assertEquals(200, send(gateway, BadImages.stripe(64 + warmUp, 1)).status());
        }
        long baseline = heapAfterGc();

        Map<Integer, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < REQUESTS; i++) {
            // N from 3,600 to 4,599: half within the longest side allowed (4,096), half beyond it.
            int n = 3_600 + i;
            Response response = send(gateway, i % 2 == 0 ? BadImages.stripe(n, 1) : BadImages.stripe(1, n));
            statuses.merge(response.status(), 1, Integer::sum);
            boolean answered = response.status() == 200
                    || response.status() / 100 == 4 && response.body().contains("image_too_large");
            assertTrue(answered, n + ": " + response.status() + " " + response.body());
        }
        assertEquals(REQUESTS, statuses.values().stream().mapToInt(Integer::intValue).sum(), statuses.toString());

        long limit = baseline + baseline / 5;
        await("heap back within 20% of its baseline of " + baseline / 1_000_000 + " MB")
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> heapAfterGc() <= limit);
    }

    private static Response send(ApiClient gateway, byte[] png) {
        return gateway.send(gateway.jsonRequest("POST", "/v1/inference",
                body("image", Base64.getEncoder().encodeToString(png), "instruction", "go to the purple tube")));
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
