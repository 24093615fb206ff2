package com.vlaapi.bench;

import com.vlaapi.bench.fleet.LocalFleet;
import com.vlaapi.servicecontract.ServiceHeaders;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * {@code bin/vla bench inference-ab NAME=VALUE... [SECONDS_PER_ROUND] [CYCLES]}: inference-service's
 * defaults (A, the fleet's own) against one more inference-service (B) started with the given
 * environment, or running another build ({@code JAR=path}), in one run: both warmed alike, then wrk
 * rounds straight to each (as the gateway calls them, a session's chunk request), A and B
 * alternating with the order rotating, at 1 and at 16 connections; requests per second and each
 * process's CPU per request. A change to the image path or the model's settings is read here,
 * on the same machine in the same minutes, before it becomes a default.
 */
public final class InferenceVariants {

    private static final int[] CONNECTIONS = {1, 16};
    private static final Duration WARMUP_ROUND = Duration.ofSeconds(3);
    private static final int WARMUP_MAX_CYCLES = 20;
    private static final String A = "inference-service";
    private static final String B = "inference-b";

    private InferenceVariants() {
    }

    public static void main(String[] arguments) throws Exception {
        VariantArguments variant = VariantArguments.parse(arguments,
                "bin/vla bench inference-ab VLA_MODEL_BATCHING_MAX_BATCH_DELAY=5ms");
        Path root = Path.of("").toAbsolutePath();
        List<byte[]> bodies = InferenceBodies.chunksOf(InferenceBodies.heldOutScenes(root));
        System.out.printf("inference-service A/B, %s: %d cores; A: the defaults, B: %s; %s%n",
                Instant.now().truncatedTo(ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(),
                variant.describe(), Wrk.version());

        try (LocalFleet fleet = new LocalFleet(root)) {
            System.out.println("starting the fleet...");
            fleet.start();
            System.out.println("starting inference-service B...");
            variant.startB(fleet, B, A);
            JsonNode customer = BenchCustomers.create(fleet, "Inference AB Robotics", "{\"rate_limit_per_minute\": 1000000}");
            Map<String, String> internal = Map.of(ServiceHeaders.INTERNAL_TOKEN, fleet.secret("gateway-token"),
                    ServiceHeaders.CUSTOMER_ID, customer.get("customer").get("customer_id").asString());
            try (Wrk wrk = Wrk.prepare(bodies)) {
                Wrk.Target toA = new Wrk.Target("A", fleet.url(A, "/v1/inference"), internal);
                Wrk.Target toB = new Wrk.Target("B", fleet.url(B, "/v1/inference"), internal);
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                Map<String, Warmup.Path> warm = new LinkedHashMap<>();
                warm.put("A", new Warmup.Path(A, GatewayBenchmark.proxied(http, toA, bodies)));
                warm.put("B", new Warmup.Path(B, GatewayBenchmark.proxied(http, toB, bodies)));
                System.out.println();
                Warmup.untilSettled(fleet, warm, WARMUP_ROUND, WARMUP_MAX_CYCLES);
                for (int connections : CONNECTIONS) {
                    ProxyThroughput.Result r = ProxyThroughput.measure(wrk, List.of(
                            new ProxyThroughput.Path("A", toA, new CpuShares(fleet, A)),
                            new ProxyThroughput.Path("B", toB, new CpuShares(fleet, B))), connections, variant.round(),
                            variant.cycles());
                    ProxyThroughput.print(r, connections, variant.round());
                    double cpuA = r.path("A").cpu().millisPerRequest(A);
                    double cpuB = r.path("B").cpu().millisPerRequest(B);
                    System.out.printf("  at %d connection(s): inference-service CPU per request A %.3f ms, B %.3f ms (B/A %.3f);"
                            + " throughput B/A %.3f%n", connections, cpuA, cpuB, cpuB / cpuA, r.ratio("B"));
                }
            }
        }
    }
}
