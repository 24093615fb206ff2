package com.vlaapi.bench;

import com.vlaapi.bench.fleet.LocalFleet;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Service processes for the usage-pipeline test, like {@code LocalFleet} but with what that test
 * needs and LocalFleet does not offer: fixed ports chosen up front (inference-service must know
 * billing-service's address before billing runs), and stopping or starting one service at a time.
 */
final class UsageServices implements AutoCloseable {

    private static final String SUPERUSER_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

    final String database = "usage_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    final String adminToken = UUID.randomUUID().toString();
    final String internalToken = UUID.randomUUID().toString();
    final String redisPrefix = "vla-usage-" + UUID.randomUUID() + ":";
    private final Path root;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();

    UsageServices(Path root) throws Exception {
        this.root = root;
        for (String service : List.of("customer-service", "inference-service", "billing-service")) {
            ports.put(service, freePort());
        }
        try (Connection c = DriverManager.getConnection(SUPERUSER_URL, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database + " OWNER vlaapi");
            s.execute("ALTER DATABASE " + database + " SET search_path = reporting, \"$user\", public");
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS vector");
        }
    }

    URI url(String service, String path) {
        return URI.create("http://127.0.0.1:" + ports.get(service) + path);
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database, "postgres", "");
    }

    void start(String service) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(LocalFleet.portVariable(service), String.valueOf(ports.get(service)));
        env.put("VLA_BILLING_URL", url("billing-service", "").toString());
        env.put("VLA_INFERENCE_USAGE_RELAY_MAX_RETRY_BACKOFF", "1s");
        env.put("VLA_REDIS_PREFIX", redisPrefix);
        Path jar;
        try (Stream<Path> files = Files.list(root.resolve(service).resolve("target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches(service + "-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException(service + " is not packaged; run mvn verify from the root"));
        }
        Path log = root.resolve(service).resolve("target").resolve("usage-it-" + service + ".log");
        ProcessBuilder builder = new ProcessBuilder("java", "-Xmx512m", "-jar", jar.toString())
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("VLA_DB_URL", "jdbc:postgresql://127.0.0.1:5432/" + database);
        builder.environment().put("VLA_ADMIN_TOKEN", adminToken);
        builder.environment().put("VLA_INTERNAL_TOKEN", internalToken);
        builder.environment().put("VLA_MODEL_MODELS_DIR", root.resolve("reference-policy/bundles").toString());
        builder.environment().put("DJL_OFFLINE", "true");
        builder.environment().put("OPT_OUT_TRACKING", "true");
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.put(service, process);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(service + " exited during start-up; see " + log);
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(url(service, "/actuator/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200 && health.body().contains("UP")) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(service + " not healthy after 120 s; see " + log);
    }

    /** Graceful stop (SIGTERM), as {@code bin/vla down} does. */
    void stop(String service) throws InterruptedException {
        Process p = processes.remove(service);
        if (p != null) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws Exception {
        List<String> reverse = new ArrayList<>(processes.keySet());
        Collections.reverse(reverse);
        for (String service : reverse) {
            stop(service);
        }
        try (Connection c = DriverManager.getConnection(SUPERUSER_URL, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
