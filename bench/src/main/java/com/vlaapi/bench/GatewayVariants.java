package com.vlaapi.bench;

import com.vlaapi.bench.fleet.LocalFleet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * {@code bin/vla bench gateway-ab NAME=VALUE... [SECONDS_PER_ROUND] [CYCLES]}: one gateway setting
 * against the defaults, in one run ({@link ServiceAb}). B is one more gateway started with the given
 * environment: a {@code VLA_GATEWAY_...} setting, or {@code JAVA_TOOL_OPTIONS} for the JVM and Netty
 * (in place of the {@code jvm} options deploy/fleet.conf gives the gateway, which A runs with);
 * {@code JAR=path} runs another build of the gateway (a commit before a change). The rounds go
 * through inference-service directly, gateway A and gateway B, then the refusals of {@code bin/vla
 * bench gateway} to A and to B. Whether a JVM or Netty option pays for itself is read here, before
 * it becomes a default.
 */
public final class GatewayVariants {

    private static final String A = "gateway-service";
    private static final String B = "gateway-b";

    private GatewayVariants() {
    }

    public static void main(String[] arguments) throws Exception {
        VariantArguments variant = VariantArguments.parse(arguments,
                "bin/vla bench gateway-ab JAVA_TOOL_OPTIONS=-Dreactor.netty.ioWorkerCount=2");
        List<byte[]> bodies = InferenceBodies.of(InferenceBodies.heldOutScenes(Path.of("").toAbsolutePath()));
        ServiceAb.run(new ServiceAb.Subject("Gateway", A, B, bodies, (fleet, credentials) -> List.of(
                new ServiceAb.Route(new ProxyThroughput.Path("direct", new Wrk.Target("direct",
                        fleet.url("inference-service", "/v1/inference"), credentials.internal()),
                        new CpuShares(fleet, "inference-service")), "inference-service"),
                viaGateway(fleet, "A", A, credentials),
                viaGateway(fleet, "B", B, credentials)),
                // Every refusal comes from one address: past the default 120 failed authentications a
                // minute both gateways would answer 429 before looking at a key, a cheaper path.
                Map.of("VLA_GATEWAY_FAILED_AUTHENTICATIONS_PER_MINUTE", "1000000000"),
                GatewayVariants::refusals), variant);
    }

    /** Each kind of GatewayBenchmark's refusals, to A and then to B. */
    private static List<RejectionCost.Kind> refusals(LocalFleet fleet) throws Exception {
        JsonNode limited = BenchCustomers.create(fleet, "Gateway AB Limited", "{\"rate_limit_per_minute\": 1}");
        String limitedKey = limited.get("api_key").get("key").asString();
        List<RejectionCost.Kind> toA = GatewayBenchmark.refusals(A, fleet.url(A, "/v1/inference"), limitedKey);
        List<RejectionCost.Kind> toB = GatewayBenchmark.refusals(B, fleet.url(B, "/v1/inference"), limitedKey);
        List<RejectionCost.Kind> pairs = new ArrayList<>();
        for (int k = 0; k < toA.size(); k++) {
            pairs.add(toA.get(k));
            pairs.add(toB.get(k));
        }
        return pairs;
    }

    private static ServiceAb.Route viaGateway(LocalFleet fleet, String name, String gateway, ServiceAb.Credentials credentials) {
        Wrk.Target target = new Wrk.Target(name, fleet.url(gateway, "/v1/inference"), credentials.bearer());
        CpuShares shares = new CpuShares(fleet, gateway, "inference-service")
                .including("redis", CpuShares.processesNamed("redis-server"));
        return new ServiceAb.Route(new ProxyThroughput.Path(name, target, shares), gateway);
    }
}
