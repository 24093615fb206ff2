package com.vlaapi.bench;

import com.vlaapi.bench.fleet.LocalFleet;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Two pairs of gateway and inference-service for comparing observability on and off: the same
 * jars, the same defaults, started at the same time and used only for that comparison; the quiet
 * pair registers no meter and no observation, logs plain text, and writes no per-request access line.
 */
record Observability(URI observedGateway, URI quietGateway) {

    private static final Map<String, String> WITHOUT_OBSERVABILITY = Map.of(
            "MANAGEMENT_METRICS_ENABLE_ALL", "false",
            "MANAGEMENT_OBSERVATIONS_ENABLE_ALL", "false",
            "LOGGING_STRUCTURED_FORMAT_CONSOLE", "",
            "LOGGING_LEVEL_VLA_ACCESS", "warn");

    static Observability start(LocalFleet fleet) throws Exception {
        URI observed = startPair(fleet, "observed", Map.of());
        URI quiet = startPair(fleet, "quiet", WITHOUT_OBSERVABILITY);
        return new Observability(observed, quiet);
    }

    /** An inference-service {@code inference-NAME} and a gateway {@code gateway-NAME} in front of it alone. */
    private static URI startPair(LocalFleet fleet, String name, Map<String, String> settings) throws Exception {
        URI inference = fleet.startExtra("inference-" + name, "inference-service", settings);
        Map<String, String> gatewaySettings = new LinkedHashMap<>(settings);
        gatewaySettings.putAll(Map.of("VLA_CUSTOMER_URL", fleet.url("customer-service", "").toString(),
                "VLA_INFERENCE_URLS", inference.toString(), "VLA_REDIS_PREFIX", fleet.redisPrefix));
        return fleet.startExtra("gateway-" + name, "gateway-service", gatewaySettings);
    }
}
