package com.vlaapi.bench;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.bench.fleet.LocalFleet;
import com.vlaapi.referencepolicy.eval.EvalSet;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What admins rely on, against the real fleet and a real Prometheus with deploy/prometheus's
 * configuration and rules: after real traffic (answers, bad requests, unknown keys, rate-limited
 * requests, a gateway failing open when its Redis stopped), every rule's expression parses and
 * evaluates, every recorded series and every dashboard query has data (GPU series aside, on a CPU
 * fleet), every Business dashboard query returns rows, and a stopped service fires its alert
 * within the alert's window.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final PrometheusRules RULES = PrometheusRules.read(ROOT.resolve("deploy/prometheus/rules"));
    private static final GrafanaDashboards DASHBOARDS = GrafanaDashboards.read(ROOT.resolve("grafana/dashboards"));
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path work;
    private static LocalFleet fleet;
    private static RunningPrometheus prometheus;
    private static Process ownRedis;

    @BeforeAll
    static void startFleetAndPrometheus() throws Exception {
        fleet = new LocalFleet(ROOT);
        fleet.start();
        // A second gateway on a Redis of its own, which the traffic below stops: it fails open.
        int redisPort = LocalFleet.freePort();
        ownRedis = new ProcessBuilder("redis-server", "--port", String.valueOf(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        fleet.startExtra("gateway-alone", "gateway-service", Map.of("VLA_REDIS_PORT", String.valueOf(redisPort)));
        prometheus = RunningPrometheus.start(ROOT, fleet, work);
        sendTraffic();
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (fleet != null) {
            fleet.close();
        }
        if (ownRedis != null) {
            ownRedis.destroyForcibly();
        }
    }

    private static void sendTraffic() throws Exception {
        EvalSet.Scene scene = EvalSet.read(ROOT.resolve("reference-policy/evalsets/tabletop-v1")).scenes().get(0);
        String good = "{\"image\": \"" + Base64.getEncoder().encodeToString(scene.imageBytes())
                + "\", \"instruction\": \"" + scene.instruction() + "\"}";
        String key = customer(100_000);
        String limitedKey = customer(2);
        for (int i = 0; i < 20; i++) {
            assertEquals(200, infer("gateway-service", key, good).statusCode());
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(400, infer("gateway-service", key, "{\"image\": \"not base64!\", \"instruction\": \"go\"}").statusCode());
            assertEquals(401, infer("gateway-service", "vla_live_" + "x".repeat(40), good).statusCode());
        }
        List<Integer> limited = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            limited.add(infer("gateway-service", limitedKey, good).statusCode());
        }
        assertTrue(limited.contains(429), "a customer allowed 2 requests a minute is limited: " + limited);
        assertEquals(200, infer("gateway-alone", key, good).statusCode(), "the key is known to that gateway now");
        ownRedis.destroyForcibly().waitFor();
        for (int i = 0; i < 5; i++) {
            infer("gateway-alone", key, good);
        }
    }

    @Test
    @Order(1)
    void everyRuleParsesAndEveryRecordedSeriesHasData() throws Exception {
        awaitScraped();
        List<String> empty = new ArrayList<>();
        for (PrometheusRules.Rule rule : RULES.rules()) {
            List<JsonNode> result = prometheus.query(rule.expr());
            if (!rule.alert() && result.isEmpty()) {
                empty.add(rule.name() + " = " + rule.expr());
            }
        }
        // Recording rules are evaluated every second here; give the last of them a moment.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            List<String> stillEmpty = new ArrayList<>();
            for (PrometheusRules.Rule rule : RULES.rules()) {
                if (!rule.alert() && prometheus.query(rule.name()).isEmpty()) {
                    stillEmpty.add(rule.name());
                }
            }
            assertEquals(List.of(), stillEmpty, "recorded series without data; their expressions gave " + empty);
        });
    }

    @Test
    @Order(3)
    void theTrafficIsCountedByStatusReasonAndModel() throws Exception {
        awaitScraped();
        Set<String> statuses = new TreeSet<>();
        for (JsonNode series : prometheus.query(
                "sum by (status) (http_server_requests_seconds_count{service=\"gateway-service\", uri!~\"/actuator.*\"})")) {
            statuses.add(series.path("metric").path("status").asString());
        }
        assertTrue(statuses.containsAll(Set.of("200", "400", "401", "429")), "gateway statuses: " + statuses);
        List<JsonNode> failOpen = prometheus.query("sum by (reason) (vla_gateway_ratelimit_fail_open_total) > 0");
        assertEquals("redis_unavailable", failOpen.get(0).path("metric").path("reason").asString());
        List<JsonNode> loaded = prometheus.query("vla_model_loaded");
        assertEquals("tabletop-v1", loaded.get(0).path("metric").path("model").asString());
        assertTrue(prometheus.query("vla_inference_requests_total{status=\"200\"} > 0").size() >= 1);
        assertTrue(prometheus.query("sum(vla_inference_batch_size_count) > 0").size() == 1, "batch sizes recorded");
        assertHasLabels(Set.of("invalid_api_key", "rate_limit_exceeded", "none"), "error_code",
                "sum by (error_code) (http_server_requests_seconds_count{service=\"gateway-service\"})");
        assertHasLabels(Set.of("invalid_base64", "none"), "error_code",
                "sum by (error_code) (http_server_requests_seconds_count{service=\"inference-service\"})");
        assertHasLabels(Set.of("invalid_base64", "none"), "error_code", "sum by (error_code) (vla_inference_requests_total)");
        assertHasLabels(Set.of("forward", "preprocess", "queue_wait"), "stage", "sum by (stage) (vla_inference_stage_seconds_count) > 0");
        assertEquals(List.of(), prometheus.query("{__name__=~\"vla_gpu_.*\"}"), "no GPU series on a CPU fleet, not zeros");
    }

    private static void assertHasLabels(Set<String> expected, String label, String query) throws Exception {
        Set<String> values = new TreeSet<>();
        for (JsonNode series : prometheus.query(query)) {
            values.add(series.path("metric").path(label).asString());
        }
        assertTrue(values.containsAll(expected), query + " has " + label + " " + values + ", not all of " + expected);
    }

    /**
     * Every line each service logs is one JSON object; {@code grep <request id>} over the fleet's
     * logs finds the request's line at the gateway and at the inference instance that answered it,
     * with the same id as a field, and the error code of one that failed.
     */
    @Test
    @Order(2)
    void oneRequestIsFollowedAcrossTheFleetsStructuredLogsByItsId() throws Exception {
        String key = customer(100_000);
        HttpResponse<String> refused = infer("gateway-service", key, "{\"image\": \"not base64!\", \"instruction\": \"go\"}");
        String requestId = refused.headers().firstValue("X-Request-Id").orElseThrow();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, JsonNode> lines = new TreeMap<>();
            for (String service : List.of("gateway-service", "inference-service", "customer-service", "billing-service")) {
                for (String line : fleet.log(service).lines().filter(l -> l.contains(requestId)).toList()) {
                    JsonNode json = JSON.readTree(line);
                    assertEquals(requestId, json.path("request_id").asString(), line);
                    lines.put(json.path("service").path("name").asString(), json);
                }
            }
            assertEquals(Set.of("gateway-service", "inference-service"), lines.keySet());
            assertEquals(400, lines.get("gateway-service").path("status").asInt());
            assertEquals("invalid_base64", lines.get("inference-service").path("error_code").asString());
        });
        for (String service : List.of("gateway-service", "inference-service", "customer-service", "billing-service")) {
            for (String line : fleet.log(service).lines().filter(l -> l.startsWith("{")).limit(200).toList()) {
                assertEquals(service, JSON.readTree(line).path("service").path("name").asString(), line);
            }
        }
    }

    /** GPU series (NVIDIA's DCGM exporter, inference-service on CUDA) exist on GPU hosts only: absent here, as on any CPU fleet. */
    @Test
    @Order(4)
    void everyDashboardExpressionReturnsData() throws Exception {
        awaitScraped();
        List<GrafanaDashboards.Query> queries = DASHBOARDS.queries(GrafanaDashboards.PROMETHEUS_UID);
        assertTrue(queries.size() >= 20, "the dashboards' PromQL was read: " + queries.size());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            List<String> empty = new ArrayList<>();
            for (GrafanaDashboards.Query query : queries) {
                if (prometheus.query(query.text()).isEmpty() && !isGpuSeries(query.text())) {
                    empty.add(query.dashboard() + " '" + query.panel() + "': " + query.text());
                }
            }
            assertEquals(List.of(), empty, "dashboard queries without data");
        });
    }

    private static boolean isGpuSeries(String query) {
        return query.contains("DCGM_") || query.contains("vla_gpu_");
    }

    /** As Grafana's PostgreSQL data source runs them: as the operators' read role, over the reporting views. */
    @Test
    @Order(5)
    void everyBusinessDashboardQueryReturnsRowsAsTheOperatorsRole() throws Exception {
        HttpResponse<String> drafts = HTTP.send(HttpRequest.newBuilder(fleet.url("billing-service", "/admin/v1/invoices/generate"))
                .header("Authorization", "Bearer " + fleet.adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"month\": \"" + YearMonth.now(fleet.clock) + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, drafts.statusCode(), drafts.body());
        List<GrafanaDashboards.Query> queries = DASHBOARDS.queries(GrafanaDashboards.POSTGRES_UID);
        assertTrue(queries.size() >= 5, "the dashboards' SQL was read: " + queries.size());
        List<String> empty = new ArrayList<>();
        try (Connection db = fleet.connect(); Statement sql = db.createStatement()) {
            sql.execute("SET ROLE vlaapi");
            for (GrafanaDashboards.Query query : queries) {
                try (ResultSet rows = sql.executeQuery(query.text())) {
                    if (!rows.next()) {
                        empty.add(query.dashboard() + " '" + query.panel() + "'");
                    }
                }
            }
        }
        assertEquals(List.of(), empty, "SQL panels without rows");
    }

    @Test
    @Order(6)
    void aStoppedServiceFiresItsAlertWithinItsWindow() throws Exception {
        fleet.kill("billing-service");

        // VlaServiceDown: up == 0 for 1 minute; scraping and evaluation run every second here.
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).until(() -> prometheus.alerts().stream()
                .anyMatch(alert -> alert.path("labels").path("alertname").asString().equals("VlaServiceDown")
                        && alert.path("labels").path("service").asString().equals("billing-service")
                        && alert.path("state").asString().equals("firing")));
    }

    private static void awaitScraped() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            List<JsonNode> up = prometheus.query("up{job=\"vla\"} == 1");
            assertEquals(fleet.instances().size(), up.size(), "instances up: " + up);
            assertEquals(1, prometheus.query("sum(vla_gateway_ratelimit_fail_open_total) > 0").size(),
                    "the fail-opens of the gateway whose Redis stopped were scraped");
        });
    }

    private static HttpResponse<String> infer(String gateway, String key, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(fleet.url(gateway, "/v1/inference")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A pro customer allowed {@code perMinute} requests a minute; returns its API key. */
    private static String customer(int perMinute) throws Exception {
        return FleetCustomer.create(fleet, "Monitored " + perMinute, "pro")
                .withLimits(fleet, "{\"rate_limit_per_minute\": " + perMinute + "}").apiKey();
    }
}
