package com.vlaapi.customer.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.customer.support.IntegrationTest;
import com.vlaapi.testsupport.http.ApiClient.Response;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Cross-cutting promises: authentication, one error shape everywhere, request ids, open actuator. */
class HttpContractTest extends IntegrationTest {

    @Test
    void adminApiNeedsTheAdminBearerToken() {
        Response missing = api.send(api.request("/admin/v1/customers").GET());
        Response wrong = api.send(api.request("/admin/v1/customers").header("Authorization", "Bearer nope").GET());
        Response basic = api.send(api.request("/admin/v1/customers").header("Authorization", "Basic " + ADMIN_TOKEN).GET());
        Response internalToken = api.send(api.request("/admin/v1/customers")
                .header("Authorization", "Bearer " + INTERNAL_TOKEN).GET());
        Response unauthenticatedCreate = api.send(api.request("/admin/v1/customers")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertError(missing, 401, "authentication_error", "missing_admin_token");
        assertError(wrong, 401, "authentication_error", "invalid_admin_token");
        assertError(basic, 401, "authentication_error", "missing_admin_token");
        assertError(internalToken, 401, "authentication_error", "invalid_admin_token");
        assertError(unauthenticatedCreate, 401, "authentication_error", "missing_admin_token");
        assertThat(admin.get("/admin/v1/customers").status()).isEqualTo(200);
    }

    @Test
    void unknownRoutesAreJsonNotFound() {
        assertError(api.send(api.request("/nope").GET()), 404, "not_found_error", "route_not_found");
        assertError(admin.get("/admin/v1/nope"), 404, "not_found_error", "route_not_found");
        assertError(api.send(api.request("/error").GET()), 404, "not_found_error", "route_not_found");
    }

    @Test
    void requestsTomcatRejectsBeforeSpringAreJsonToo() {
        Response response = api.send(api.request("/admin/v1/customers/%00").GET());

        assertError(response, 400, "invalid_request_error", "bad_request");
    }

    @Test
    void wrongMethodIsJsonMethodNotAllowed() {
        Response response = api.send(api.request("/admin/v1/customers")
                .header("Authorization", "Bearer " + ADMIN_TOKEN).DELETE());

        assertError(response, 405, "invalid_request_error", "method_not_allowed");
        assertThat(response.headers().firstValue("Allow").orElse("")).contains("GET", "POST");
    }

    @Test
    void errorsStayJsonWhenTheClientAsksForHtml() {
        Response response = api.send(api.request("/nope").header("Accept", "text/html").GET());

        assertError(response, 404, "not_found_error", "route_not_found");
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    }

    @Test
    void echoesTheCallersRequestId() {
        String requestId = UUID.randomUUID().toString();

        Response ok = api.send(api.request("/admin/v1/customers")
                .header("Authorization", "Bearer " + ADMIN_TOKEN).header("X-Request-Id", requestId).GET());
        Response error = api.send(api.request("/admin/v1/customers").header("X-Request-Id", requestId).GET());

        assertThat(ok.headers().firstValue("X-Request-Id")).hasValue(requestId);
        assertThat(error.headers().firstValue("X-Request-Id")).hasValue(requestId);
        assertThat(error.json().path("error").path("request_id").asString()).isEqualTo(requestId);
    }

    @Test
    void generatesARequestIdWhenNoneOrAnUnusableOneIsSent() {
        Response none = api.send(api.request("/nope").GET());
        Response unusable = api.send(api.request("/nope").header("X-Request-Id", "x".repeat(500)).GET());
        Response notAUuid = api.send(api.request("/nope").header("X-Request-Id", "gw-trace-42").GET());

        for (Response response : new Response[] {none, unusable, notAUuid}) {
            String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(UUID.fromString(requestId)).isNotNull();
            assertThat(response.json().path("error").path("request_id").asString()).isEqualTo(requestId);
        }
    }

    @Test
    void healthAndPrometheusAreOpen() {
        Response health = api.send(api.request("/actuator/health").GET());
        Response prometheus = api.send(api.request("/actuator/prometheus").GET());

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asString()).isEqualTo("UP");
        assertThat(health.headers().firstValue("X-Request-Id")).isPresent();
        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(prometheus.body()).contains("jvm_memory_used_bytes");
        assertThat(api.send(api.request("/actuator/env").GET()).status()).isEqualTo(404);
    }

    /** Kubernetes' probes call these (deploy/k8s). */
    @Test
    void livenessAndReadinessGroupsAnswer() {
        for (String group : List.of("/actuator/health/liveness", "/actuator/health/readiness")) {
            Response probe = api.send(api.request(group).GET());
            assertThat(probe.status()).as(group).isEqualTo(200);
            assertThat(probe.json().path("status").asString()).as(group).isEqualTo("UP");
        }
    }

    private static void assertError(Response response, int status, String type, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        JsonNode error = response.json().path("error");
        assertThat(response.json().propertyNames()).containsExactly("error");
        assertThat(error.propertyNames()).containsExactlyInAnyOrder("type", "code", "message", "request_id");
        assertThat(error.path("type").asString()).isEqualTo(type);
        assertThat(error.path("code").asString()).isEqualTo(code);
        assertThat(error.path("message").asString()).isNotBlank();
        assertThat(error.path("request_id").asString()).isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    }
}
