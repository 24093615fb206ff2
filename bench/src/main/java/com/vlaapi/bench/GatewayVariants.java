package com.vlaapi.bench;

import com.vlaapi.bench.fleet.LocalFleet;
import com.vlaapi.servicecontract.ServiceHeaders;
import java.net.URI;
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
 * {@code bin/vla bench gateway-ab NAME=VALUE... [SECONDS_PER_ROUND] [CYCLES]}: one gateway setting
 * against the defaults, in one run. The fleet's gateway (A) keeps its defaults; one more gateway
 * (B) starts with the given environment: a {@code VLA_GATEWAY_...} setting, or
 * {@code JAVA_TOOL_OPTIONS} for the JVM and Netty; {@code JAR=path} runs another build of the
 * gateway (a commit before a change) as B. Both are warmed alike, then wrk rounds through
 * inference-service directly, A and B alternate (the order rotating), at 1 and at 16 connections:
 * requests per second and each process's CPU per request. Whether a JVM or Netty option pays for
 * itself is read here, before it becomes a default.
 */
public final class GatewayVariants {

    private static final int[] CONNECTIONS = {1, 16};
    private static final Duration WARMUP_ROUND = Duration.ofSeconds(3);
    private static final int WARMUP_MAX_CYCLES = 20;
    private static final String A = "gateway-service";
    private static final String B = "gateway-b";

    private GatewayVariants() {
    }

    public static void main(String[] arguments) throws Exception {
        VariantArguments variant = VariantArguments.parse(arguments,
                "bin/vla bench gateway-ab JAVA_TOOL_OPTIONS=-Dreactor.netty.ioWorkerCount=2");
        Duration round = variant.round();
        int cycles = variant.cycles();
        Path root = Path.of("").toAbsolutePath();
        List<byte[]> bodies = InferenceBodies.of(InferenceBodies.heldOutScenes(root));
        System.out.printf("Gateway A/B, %s: %d cores; A: the defaults, B: %s; %s%n", Instant.now().truncatedTo(ChronoUnit.SECONDS),
                Runtime.getRuntime().availableProcessors(), variant.describe(), Wrk.version());

        try (LocalFleet fleet = new LocalFleet(root)) {
            System.out.println("starting the fleet...");
            fleet.start();
            System.out.println("starting gateway B...");
            variant.startB(fleet, B, A);
            JsonNode customer = BenchCustomers.create(fleet, "Gateway AB Robotics", "{\"rate_limit_per_minute\": 1000000}");
            String key = customer.get("api_key").get("key").asString();
            Map<String, String> internal = Map.of(ServiceHeaders.INTERNAL_TOKEN, fleet.secret("gateway-token"),
                    ServiceHeaders.CUSTOMER_ID, customer.get("customer").get("customer_id").asString());
            URI inference = fleet.url("inference-service", "/v1/inference");
            try (Wrk wrk = Wrk.prepare(bodies)) {
                Wrk.Target direct = new Wrk.Target("direct", inference, internal);
                Wrk.Target viaA = new Wrk.Target("A", fleet.url(A, "/v1/inference"), Map.of("Authorization", "Bearer " + key));
                Wrk.Target viaB = new Wrk.Target("B", fleet.url(B, "/v1/inference"), Map.of("Authorization", "Bearer " + key));
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                Map<String, Warmup.Path> warm = new LinkedHashMap<>();
                warm.put("direct", new Warmup.Path("inference-service", GatewayBenchmark.proxied(http, direct, bodies)));
                warm.put("A", new Warmup.Path(A, GatewayBenchmark.proxied(http, viaA, bodies)));
                warm.put("B", new Warmup.Path(B, GatewayBenchmark.proxied(http, viaB, bodies)));
                System.out.println();
                Warmup.untilSettled(fleet, warm, WARMUP_ROUND, WARMUP_MAX_CYCLES);
                for (int connections : CONNECTIONS) {
                    ProxyThroughput.Result r = ProxyThroughput.measure(wrk, List.of(
                            new ProxyThroughput.Path("direct", direct, new CpuShares(fleet, "inference-service")),
                            new ProxyThroughput.Path("A", viaA, gatewayShares(fleet, A)),
                            new ProxyThroughput.Path("B", viaB, gatewayShares(fleet, B))), connections, round, cycles);
                    ProxyThroughput.print(r, connections, round);
                    double cpuA = r.path("A").cpu().millisPerRequest(A);
                    double cpuB = r.path("B").cpu().millisPerRequest(B);
                    System.out.printf("  at %d connection(s): gateway CPU per request A %.3f ms, B %.3f ms (B/A %.3f);"
                            + " throughput B/A %.3f%n", connections, cpuA, cpuB, cpuB / cpuA, r.ratio("B") / r.ratio("A"));
                }
            }
        }
    }

    private static CpuShares gatewayShares(LocalFleet fleet, String gateway) {
        return new CpuShares(fleet, gateway, "inference-service").including("redis", CpuShares.processesNamed("redis-server"));
    }
}
