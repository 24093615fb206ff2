package com.vlaapi.bench;

import com.vlaapi.bench.fleet.LocalFleet;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Prometheus (Debian's package) with deploy/prometheus's configuration and rules, scraping a
 * {@link LocalFleet}: as {@code bin/vla up} runs it, but scraping and evaluating every second.
 */
final class RunningPrometheus implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path config;
    private final Process process;
    private final URI base;
    private final HttpClient http = HttpClient.newHttpClient();

    private RunningPrometheus(Path config, Process process, URI base) {
        this.config = config;
        this.process = process;
        this.base = base;
    }

    static RunningPrometheus start(Path root, LocalFleet fleet, Path work) throws Exception {
        Path config = work.resolve("config");
        Files.createDirectories(config.resolve("rules"));
        Files.createDirectories(config.resolve("targets"));
        String shipped = Files.readString(root.resolve("deploy/prometheus/prometheus.yml"));
        Files.writeString(config.resolve("prometheus.yml"), shipped
                .replace("scrape_interval: 10s", "scrape_interval: 1s")
                .replace("evaluation_interval: 10s", "evaluation_interval: 1s")
                .replace("refresh_interval: 5s", "refresh_interval: 1s"));
        try (Stream<Path> rules = Files.list(root.resolve("deploy/prometheus/rules"))) {
            for (Path rule : rules.toList()) {
                Files.copy(rule, config.resolve("rules").resolve(rule.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        int port = LocalFleet.freePort();
        Process process = new ProcessBuilder("prometheus", "--config.file=" + config.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + work.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
        RunningPrometheus prometheus = new RunningPrometheus(config, process, URI.create("http://127.0.0.1:" + port));
        prometheus.scrape(fleet);
        prometheus.awaitReady(work.resolve("prometheus.log"));
        return prometheus;
    }

    /** Points Prometheus at the fleet's running instances (file_sd: picked up within a second). */
    void scrape(LocalFleet fleet) throws IOException {
        List<Map<String, Object>> targets = new ArrayList<>();
        fleet.instances().forEach((instance, service) -> targets.add(Map.of(
                "targets", List.of(fleet.metricsAddress(instance)), "labels", Map.of("service", service))));
        Path written = config.resolve("targets/fleet.json.new");
        Files.writeString(written, JSON.writeValueAsString(targets));
        Files.move(written, config.resolve("targets/fleet.json"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** The instant vector {@code expr} evaluates to now; fails with Prometheus's message when it does not parse. */
    List<JsonNode> query(String expr) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/query?query="
                + URLEncoder.encode(expr, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        if (!"success".equals(body.path("status").asString())) {
            throw new AssertionError("Prometheus refused " + expr + ": " + response.body());
        }
        List<JsonNode> result = new ArrayList<>();
        body.path("data").path("result").forEach(result::add);
        return result;
    }

    /** The alerts pending or firing now. */
    List<JsonNode> alerts() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/alerts"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        List<JsonNode> alerts = new ArrayList<>();
        JSON.readTree(response.body()).path("data").path("alerts").forEach(alerts::add);
        return alerts;
    }

    private void awaitReady(Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Prometheus exited:\n" + Files.readString(log));
            }
            try {
                if (http.send(HttpRequest.newBuilder(base.resolve("/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Prometheus not ready after 60 s:\n" + Files.readString(log));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
