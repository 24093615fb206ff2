package com.vlaapi.bench;

import com.vlaapi.bench.fleet.LocalFleet;
import com.vlaapi.modelrunner.InferenceRequest;
import com.vlaapi.modelrunner.ModelRunner;
import com.vlaapi.modelrunner.RunnerConfig;
import com.vlaapi.modelrunner.eval.EvalSet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bin/vla bench api [REQUESTS_PER_CLIENT]}: latency of {@code POST /v1/inference} through
 * the gateway, directly against inference-service, and of the model-runner alone, at 1 and 16
 * concurrent clients; then throughput of inference-service with request logging on vs off.
 * Starts its own fleet (own database and Redis prefix), like the end-to-end test.
 */
public final class ApiBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Sends one request; returns true on HTTP 200. */
    private interface Call {
        boolean send(int sceneIndex) throws Exception;
    }

    private ApiBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int perClient = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        Path root = Path.of("").toAbsolutePath();
        EvalSet set = EvalSet.read(root.resolve("model-runner/evalsets/tabletop-v1"));
        List<EvalSet.Scene> scenes = set.scenes().subList(0, 64);
        List<byte[]> bodies = new ArrayList<>();
        for (EvalSet.Scene s : scenes) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("image", Base64.getEncoder().encodeToString(s.imageBytes()));
            body.put("instruction", s.instruction());
            bodies.add(JSON.writeValueAsBytes(body));
        }
        System.out.printf("API benchmark: %d cores, 256x256 PNG scenes, %d requests per client%n",
                Runtime.getRuntime().availableProcessors(), perClient);
        try (LocalFleet fleet = new LocalFleet(root)) {
            System.out.println("starting the fleet...");
            fleet.start();
            URI withoutLog = fleet.startExtra("inference-nolog", "inference-service", "INFERENCE_SERVICE_PORT",
                    Map.of("VLA_REQUEST_LOG_ENABLED", "false"));
            String key = createCustomer(fleet);
            String customerId = customerOf(fleet, key);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Call gateway = i -> post(http, fleet.url("gateway-service", "/v1/inference"), bodies.get(i % bodies.size()),
                    Map.of("Authorization", "Bearer " + key));
            Map<String, String> internal = Map.of("X-Internal-Token", fleet.internalToken, "X-Vla-Customer-Id", customerId);
            Call direct = i -> post(http, fleet.url("inference-service", "/v1/inference"), bodies.get(i % bodies.size()), internal);
            Call directNoLog = i -> post(http, withoutLog.resolve("/v1/inference"), bodies.get(i % bodies.size()), internal);

            System.out.println("\nlatency of one request, ms          clients   p50      p99");
            for (int clients : new int[] {1, 16}) {
                Stats g = latency(gateway, clients, perClient);
                Stats d = latency(direct, clients, perClient);
                System.out.printf("  through the gateway                %3d  %7.2f  %7.2f%n", clients, g.p50(), g.p99());
                System.out.printf("  inference-service directly         %3d  %7.2f  %7.2f%n", clients, d.p50(), d.p99());
                System.out.printf("  gateway adds                       %3d  %7.2f  %7.2f%n", clients, g.p50() - d.p50(),
                        g.p99() - d.p99());
            }
            try (ModelRunner runner = ModelRunner.start(RunnerConfig.defaults(root.resolve("model-runner/bundles")))) {
                Call alone = i -> {
                    EvalSet.Scene s = scenes.get(i % scenes.size());
                    runner.predict(new InferenceRequest(null, s.imageBytes(), s.instruction(), null));
                    return true;
                };
                for (int clients : new int[] {1, 16}) {
                    Stats r = latency(alone, clients, perClient);
                    System.out.printf("  model-runner alone (in-process)    %3d  %7.2f  %7.2f%n", clients, r.p50(), r.p99());
                }
            }

            System.out.println("\nthroughput, 16 clients, inference-service directly, rounds alternate");
            double on = 0;
            double off = 0;
            for (int round = 0; round < 3; round++) {
                on += throughput(direct, 16, Duration.ofSeconds(5));
                off += throughput(directNoLog, 16, Duration.ofSeconds(5));
            }
            System.out.printf("  request logging on   %7.1f requests/s%n  request logging off  %7.1f requests/s%n", on / 3, off / 3);
            System.out.printf("  logging costs %.1f%% of throughput%n", 100 * (1 - on / off));
        }
    }

    private static boolean post(HttpClient http, URI url, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }

    private static String createCustomer(LocalFleet fleet) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        fleet.url("customer-service", "/admin/v1/customers"))
                .header("Authorization", "Bearer " + fleet.adminToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"company_name\": \"Bench Robotics\", \"email\": \"bench@example.com\", \"tier\": \"enterprise\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("cannot create the benchmark customer: " + response.body());
        }
        return JSON.readTree(response.body()).get("api_key").get("key").asString();
    }

    private static String customerOf(LocalFleet fleet, String key) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        fleet.url("customer-service", "/admin/v1/customers"))
                .header("Authorization", "Bearer " + fleet.adminToken).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode customers = JSON.readTree(response.body());
        JsonNode list = customers.isArray() ? customers : customers.get("customers");
        return list.get(0).get("customer_id").asString();
    }

    /** Each client sends {@code perClient} requests back to back, after 10 unmeasured ones. */
    private static Stats latency(Call call, int clients, int perClient) throws Exception {
        double[] millis = new double[clients * perClient];
        List<Thread> threads = new ArrayList<>();
        AtomicLong failures = new AtomicLong();
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads.add(started(() -> {
                try {
                    for (int i = -10; i < perClient; i++) {
                        long start = System.nanoTime();
                        if (!call.send(client * 1000 + i + 10)) {
                            failures.incrementAndGet();
                        }
                        if (i >= 0) {
                            millis[client * perClient + i] = (System.nanoTime() - start) / 1e6;
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " requests failed during the benchmark");
        }
        return Stats.of(millis);
    }

    private static Thread started(Runnable work) {
        Thread thread = new Thread(work);
        thread.start();
        return thread;
    }

    private static double throughput(Call call, int clients, Duration duration) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads.add(started(() -> {
                int i = client;
                try {
                    while (!stop.get()) {
                        if (call.send(i++)) {
                            done.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        long start = System.nanoTime();
        Thread.sleep(duration.toMillis());
        stop.set(true);
        long counted = done.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        for (Thread t : threads) {
            t.join();
        }
        return counted / seconds;
    }
}
