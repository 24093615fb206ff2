package com.vlaapi.billing.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.billing.support.BillingIntegrationTest;
import com.vlaapi.testsupport.http.ApiClient.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Usage comes from inference-service alone: with a credential per caller, the gateway's (or any
 * other service's) credential cannot forge usage, though it is a valid internal credential.
 */
class UsageCallersTest extends BillingIntegrationTest {

    private static final String GATEWAY_TOKEN = "gateway-credential-" + UUID.randomUUID();

    @DynamicPropertySource
    static void credentialPerCaller(DynamicPropertyRegistry registry) {
        // The test's internal client acts as inference-service.
        registry.add("vla.callers.inference", () -> INTERNAL_TOKEN);
        registry.add("vla.callers.gateway", () -> GATEWAY_TOKEN);
    }

    @Test
    void billingRefusesUsageFromACallerThatIsNotInferenceService() {
        Event forged = new Event(UUID.randomUUID(), Instant.parse("2026-11-15T12:00:00Z"));

        Response fromGateway = api.withHeader("X-Internal-Token", GATEWAY_TOKEN)
                .post("/internal/v1/usage-events", batch(List.of(forged)));

        assertThat(fromGateway.status()).as(fromGateway.body()).isEqualTo(403);
        assertThat(fromGateway.json().path("error").path("code").asString()).isEqualTo("caller_not_allowed");
        assertThat(db().queryForObject("SELECT count(*) FROM billing.usage_events WHERE request_id = ?", Long.class,
                forged.requestId())).isZero();

        Response fromInference = internal.post("/internal/v1/usage-events", batch(List.of(forged)));
        assertThat(fromInference.status()).as(fromInference.body()).isEqualTo(200);
    }
}
