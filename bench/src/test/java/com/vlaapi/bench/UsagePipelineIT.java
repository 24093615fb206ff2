package com.vlaapi.bench;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.bench.fleet.LocalFleet;
import com.vlaapi.referencepolicy.eval.EvalSet;
import com.vlaapi.testsupport.seed.SeedQueries;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The usage pipeline end to end with the real services as processes: 2,000 successful requests
 * (and some failed ones) are served while billing-service is not running; then billing-service
 * starts, and the usage it stores equals the successful requests in inference_logs, exactly (same
 * request ids), and the month's invoice and the seed's queries agree with it.
 */
class UsagePipelineIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int SUCCESSES = 2_000;
    private static final int FAILURES = 100;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void usageServedWhileBillingIsStoppedIsStoredExactlyOnceWhenItStarts() throws Exception {
        try (LocalFleet services = new LocalFleet(ROOT)
                .configure("inference-service", Map.of("VLA_INFERENCE_USAGE_RELAY_MAX_RETRY_BACKOFF", "1s"))) {
            services.prepare();
            services.startAndAwait("customer-service");
            services.startAndAwait("inference-service");
            String customerId = FleetCustomer.create(services, "Acme Robotics", "enterprise").id().toString();

            serve(services, customerId);
            try (Connection db = services.connect(); Statement sql = db.createStatement()) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(
                        () -> count(sql, "SELECT count(*) FROM inference.inference_logs") >= SUCCESSES + FAILURES);
                assertEquals(SUCCESSES, count(sql, "SELECT count(*) FROM inference.inference_logs WHERE status_code = 200"));
                assertEquals(FAILURES, count(sql, "SELECT count(*) FROM inference.inference_logs WHERE status_code <> 200"));
                assertEquals(SUCCESSES, count(sql, "SELECT count(*) FROM inference.usage_outbox"), "waiting for billing");
                // The schema exists from the start (deploy/postgres/roles.sql gives it to billing's role); its tables do not.
                assertEquals(0, count(sql, "SELECT count(*) FROM pg_tables WHERE schemaname = 'billing'"),
                        "billing-service never ran");

                services.startAndAwait("billing-service");

                await("outbox drained").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                        .until(() -> count(sql, "SELECT count(*) FROM inference.usage_outbox") == 0);
                long successful = count(sql, "SELECT count(*) FROM inference.inference_logs WHERE status_code = 200");
                assertEquals(successful, count(sql, "SELECT count(*) FROM billing.usage_events"));
                assertEquals(successful, count(sql, """
                        SELECT count(*) FROM billing.usage_events u
                        JOIN inference.inference_logs l USING (request_id)
                        WHERE l.status_code = 200 AND u.served_at = l."timestamp" AND u.customer_id = l.customer_id"""));

                assertInvoiceAndSeedQueriesAgree(services, sql, customerId);
            }
        }
    }

    private void assertInvoiceAndSeedQueriesAgree(LocalFleet services, Statement sql, String customerId)
            throws Exception {
        // The month of the requests (normally this month; both if the test ran across midnight UTC at a month end).
        List<String> months = new ArrayList<>();
        try (ResultSet rs = sql.executeQuery("""
                SELECT DISTINCT to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM') FROM inference.inference_logs""")) {
            while (rs.next()) {
                months.add(rs.getString(1));
            }
        }
        for (String month : months) {
            HttpResponse<String> generated = http.send(HttpRequest.newBuilder(
                            services.url("billing-service", "/admin/v1/invoices/generate"))
                    .header("Authorization", "Bearer " + services.adminToken)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"month\": \"" + month + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, generated.statusCode(), generated.body());
            JsonNode invoice = JSON.readTree(generated.body()).get("invoices").get(0);
            assertEquals(customerId, invoice.get("customer_id").asString());
            long inMonth = count(sql, "SELECT count(*) FROM inference.inference_logs WHERE status_code = 200"
                    + " AND to_char(\"timestamp\" AT TIME ZONE 'UTC', 'YYYY-MM') = '" + month + "'");
            assertEquals(inMonth, invoice.get("requests").asLong(), generated.body());
        }
        if (months.size() == 1) {
            // The seed's queries, verbatim, agree with the invoice (enterprise: the usage line).
            try (ResultSet rs = sql.executeQuery(SeedQueries.MONTHLY_USAGE)) {
                assertTrue(rs.next());
                assertEquals(SUCCESSES, rs.getLong("monthly_usage"));
            }
            try (ResultSet rs = sql.executeQuery(SeedQueries.REVENUE_THIS_MONTH)) {
                assertTrue(rs.next());
                assertEquals(0, rs.getBigDecimal("revenue").compareTo(new java.math.BigDecimal("20.00")));
            }
        }
    }

    /** Calls inference-service as the gateway would, 16 at a time. */
    private void serve(LocalFleet services, String customerId) throws Exception {
        List<EvalSet.Scene> scenes = EvalSet.read(ROOT.resolve("reference-policy/evalsets/tabletop-v1")).scenes();
        Semaphore inFlight = new Semaphore(16);
        List<CompletableFuture<Integer>> statuses = new ArrayList<>();
        for (int i = 0; i < SUCCESSES + FAILURES; i++) {
            boolean bad = i % ((SUCCESSES + FAILURES) / FAILURES) == 0;
            EvalSet.Scene scene = scenes.get(i % scenes.size());
            String image = bad ? "not base64!" : Base64.getEncoder().encodeToString(scene.imageBytes());
            HttpRequest request = HttpRequest.newBuilder(services.url("inference-service", "/v1/inference"))
                    .timeout(Duration.ofSeconds(60))
                    .header("X-Internal-Token", services.secret("gateway-token"))
                    .header("X-Vla-Customer-Id", customerId)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of(
                            "image", image, "instruction", scene.instruction()))))
                    .build();
            inFlight.acquire();
            statuses.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenComplete((r, e) -> inFlight.release()).thenApply(HttpResponse::statusCode));
        }
        long ok = statuses.stream().map(CompletableFuture::join).filter(s -> s == 200).count();
        assertEquals(SUCCESSES, ok);
    }

    private static long count(Statement sql, String query) throws Exception {
        try (ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
