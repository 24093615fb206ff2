package com.vlaapi.bench;

import com.vlaapi.bench.fleet.LocalFleet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/vla bench inference-ab NAME=VALUE... [SECONDS_PER_ROUND] [CYCLES]}: inference-service's
 * defaults (A) against one more inference-service (B) started with the given environment, or
 * running another build ({@code JAR=path}), in one run ({@link ServiceAb}): chunk requests straight
 * to each, as the gateway sends a session's observation. A change to the image path or the model's
 * settings is read here, on the same machine in the same minutes, before it becomes a default.
 */
public final class InferenceVariants {

    private static final String A = "inference-service";
    private static final String B = "inference-b";

    private InferenceVariants() {
    }

    public static void main(String[] arguments) throws Exception {
        VariantArguments variant = VariantArguments.parse(arguments,
                "bin/vla bench inference-ab VLA_MODEL_BATCHING_MAX_BATCH_DELAY=5ms");
        List<byte[]> bodies = InferenceBodies.chunksOf(InferenceBodies.heldOutScenes(Path.of("").toAbsolutePath()));
        ServiceAb.run(new ServiceAb.Subject("inference-service", A, B, bodies, (fleet, credentials) -> List.of(
                straightTo(fleet, "A", A, credentials),
                straightTo(fleet, "B", B, credentials)), Map.of(), ServiceAb.Refusals.NONE), variant);
    }

    private static ServiceAb.Route straightTo(LocalFleet fleet, String name, String instance, ServiceAb.Credentials credentials) {
        Wrk.Target target = new Wrk.Target(name, fleet.url(instance, "/v1/inference"), credentials.internal());
        return new ServiceAb.Route(new ProxyThroughput.Path(name, target, new CpuShares(fleet, instance)), instance);
    }
}
