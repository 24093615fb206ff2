package com.vlaapi.billing.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.billing.support.BillingIntegrationTest;
import com.vlaapi.testsupport.http.ApiClient;
import com.vlaapi.testsupport.http.ApiClient.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With a credential per caller, the portal's endpoints answer customer-service alone and usage
 * still comes from inference-service alone: neither reaches the other's endpoints.
 */
class PortalCallersTest extends BillingIntegrationTest {

    private static final String CUSTOMER_TOKEN = "customer-credential-" + UUID.randomUUID();
    private static final String GATEWAY_TOKEN = "gateway-credential-" + UUID.randomUUID();

    @DynamicPropertySource
    static void credentialPerCaller(DynamicPropertyRegistry registry) {
        // The test's internal client acts as inference-service.
        registry.add("vla.callers.inference", () -> INTERNAL_TOKEN);
        registry.add("vla.callers.gateway", () -> GATEWAY_TOKEN);
        registry.add("vla.callers.customer", () -> CUSTOMER_TOKEN);
    }

    @Test
    void thePortalsEndpointsServeCustomerServiceAlone() {
        UUID customer = createCustomer("Caller Robotics", "pro", Instant.parse("2024-01-01T00:00:00Z"));
        ApiClient customerService = api.withHeader("X-Internal-Token", CUSTOMER_TOKEN);
        ApiClient gateway = api.withHeader("X-Internal-Token", GATEWAY_TOKEN);
        String base = "/internal/v1/customers/" + customer;
        String someInvoice = base + "/invoices/" + UUID.randomUUID();

        assertThat(customerService.get(base + "/billing-summary").status()).isEqualTo(200);
        assertThat(customerService.get(base + "/invoices").status()).isEqualTo(200);
        assertThat(customerService.get(someInvoice + "/html").errorCode()).isEqualTo("invoice_not_found");
        for (String path : List.of(base + "/billing-summary", base + "/invoices", someInvoice + "/html", someInvoice + "/csv")) {
            assertError(gateway.get(path), 403, "caller_not_allowed");
            assertError(internal.get(path), 403, "caller_not_allowed");
            assertError(api.get(path), 401, "missing_internal_token");
            assertError(api.withHeader("X-Internal-Token", "wrong").get(path), 401, "invalid_internal_token");
        }
    }

    @Test
    void usageStillComesFromInferenceServiceAlone() {
        Event event = new Event(UUID.randomUUID(), Instant.parse("2026-11-15T12:00:00Z"));

        Response fromCustomerService = api.withHeader("X-Internal-Token", CUSTOMER_TOKEN)
                .post("/internal/v1/usage-events", batch(List.of(event)));

        assertError(fromCustomerService, 403, "caller_not_allowed");
        assertThat(internal.post("/internal/v1/usage-events", batch(List.of(event))).status()).isEqualTo(200);
    }

    private static void assertError(Response response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.errorCode()).as(response.body()).isEqualTo(code);
    }
}
