package com.vlaapi.bench;

import com.vlaapi.bench.fleet.LocalFleet;
import com.vlaapi.bench.load.Call;
import com.vlaapi.bench.load.Load;
import com.vlaapi.modelrunner.InferenceRequest;
import com.vlaapi.modelrunner.ModelRunner;
import com.vlaapi.modelrunner.RunnerConfig;
import com.vlaapi.referencepolicy.eval.EvalSet;
import com.vlaapi.servicecontract.ServiceHeaders;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * {@code bin/vla bench api [observability] [SECONDS_PER_ROUND]}: on a fleet of its own (own database
 * and Redis prefix), the latency of {@code POST /v1/inference} through the gateway, directly against
 * inference-service and of the model-runner alone at 1 and 16 clients; the gateway's latency with
 * limits on vs off at a fixed request rate; inference-service's throughput with request logging on
 * vs off; throughput through the gateway with metrics and structured logs on vs off (with
 * {@code observability} first, that comparison alone). Every service is first warmed up until the JIT has settled (see Warmup); then the
 * latency comparison alternates its two sides request by request, the limits comparison round by
 * round, and the throughput comparison in pairs of rounds whose order flips from pair to pair, so
 * that the shared machine's drift hits both sides alike.
 */
public final class ApiBenchmark {

    private static final int SINGLE_CLIENT_REQUESTS = 2000;
    private static final int LATENCY_ROUNDS = 8;
    private static final int REQUESTS_PER_ROUND = 150;
    /** A round's throughput moves by about 5% on a shared 2-core machine; the cost is a few percent. */
    private static final int THROUGHPUT_PAIRS = 10;
    /** A cost of about 2% is the question here: more pairs than elsewhere. */
    private static final int OBSERVABILITY_PAIRS = 16;
    private static final int USAGE_EVENTS_PER_WARMUP_BATCH = 10;
    private ApiBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        boolean observabilityOnly = arguments.length > 0 && arguments[0].equals("observability");
        String[] args = observabilityOnly ? Arrays.copyOfRange(arguments, 1, arguments.length) : arguments;
        Duration round = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 5);
        double fixedRate = args.length > 1 ? Double.parseDouble(args[1]) : 100;
        Path root = Path.of("").toAbsolutePath();
        List<EvalSet.Scene> scenes = InferenceBodies.heldOutScenes(root);
        List<byte[]> bodies = InferenceBodies.of(scenes);
        System.out.printf("API benchmark: %d cores, 256x256 PNG scenes, %d s rounds%n",
                Runtime.getRuntime().availableProcessors(), round.toSeconds());
        try (LocalFleet fleet = new LocalFleet(root)) {
            System.out.println("starting the fleet, plus two more pairs of gateway and inference-service, one with and one"
                    + " without metrics and structured logs" + (observabilityOnly ? "..."
                    : ", an inference-service without request log and a gateway without limits..."));
            fleet.start();
            Observability observability = Observability.start(fleet);
            JsonNode customer = BenchCustomers.create(fleet, "Bench Robotics", "{\"rate_limit_per_minute\": 1000000}");
            String key = customer.get("api_key").get("key").asString();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Map<String, String> bearer = Map.of("Authorization", "Bearer " + key);
            Call gatewayObserved = i -> post(http, observability.observedGateway().resolve("/v1/inference"), bodies.get(i % bodies.size()), bearer);
            Call gatewayQuiet = i -> post(http, observability.quietGateway().resolve("/v1/inference"), bodies.get(i % bodies.size()), bearer);
            if (observabilityOnly) {
                Map<String, Warmup.Path> paths = new LinkedHashMap<>();
                paths.put("gateway-observed", new Warmup.Path("gateway-observed", gatewayObserved));
                paths.put("gateway-quiet", new Warmup.Path("gateway-quiet", gatewayQuiet));
                Warmup.untilSettled(fleet, paths, round);
                compareObservability(fleet, round.multipliedBy(2), gatewayObserved, gatewayQuiet);
                return;
            }
            URI inferenceWithoutLog = fleet.startExtra("inference-nolog", "inference-service",
                    Map.of("VLA_INFERENCE_REQUEST_LOG_ENABLED", "false", "VLA_INFERENCE_USAGE_RELAY_ENABLED", "false"));
            URI gatewayWithoutLimits = fleet.startExtra("gateway-nolimits", "gateway-service", Map.of(
                    "VLA_GATEWAY_LIMITS_ENABLED", "false",
                    "VLA_CUSTOMER_URL", fleet.url("customer-service", "").toString(),
                    "VLA_INFERENCE_URLS", fleet.url("inference-service", "").toString(),
                    "VLA_REDIS_PREFIX", fleet.redisPrefix));
            String customerId = customer.get("customer").get("customer_id").asString();
            Map<String, String> internal = BenchCustomers.asTheGateway(fleet, customer);
            Call gateway = i -> post(http, fleet.url("gateway-service", "/v1/inference"), bodies.get(i % bodies.size()), bearer);
            Call gatewayNoLimits = i -> post(http, gatewayWithoutLimits.resolve("/v1/inference"), bodies.get(i % bodies.size()), bearer);
            Call direct = i -> post(http, fleet.url("inference-service", "/v1/inference"), bodies.get(i % bodies.size()), internal);
            Call directNoLog = i -> post(http, inferenceWithoutLog.resolve("/v1/inference"), bodies.get(i % bodies.size()), internal);

            // billing-service otherwise sees only the relay's few pushes a second and is still compiling
            // them while logging's cost is measured.
            URI usageEvents = fleet.url("billing-service", "/internal/v1/usage-events");
            Call usageBatch = i -> post(http, usageEvents, usageEvents(customerId, fleet.clock.instant()), Map.of(ServiceHeaders.INTERNAL_TOKEN, fleet.secret("inference-token")));
            Map<String, Double> cpu = Warmup.untilSettled(fleet,
                    pathsToWarm(gateway, gatewayNoLimits, gatewayObserved, gatewayQuiet, direct, directNoLog, usageBatch), round);

            System.out.println("\nlatency of one request, ms          clients   p50      p99   (requests alternate between the two)");
            for (int clients : new int[] {1, 16}) {
                int perClient = clients == 1 ? SINGLE_CLIENT_REQUESTS : Math.max(10, SINGLE_CLIENT_REQUESTS / clients);
                double[][] millis = Load.alternating(List.of(gateway, direct), clients, perClient);
                Stats g = Stats.of(millis[0]);
                Stats d = Stats.of(millis[1]);
                System.out.printf("  through the gateway                %3d  %7.2f  %7.2f%n", clients, g.p50(), g.p99());
                System.out.printf("  inference-service directly         %3d  %7.2f  %7.2f%n", clients, d.p50(), d.p99());
                System.out.printf("  gateway adds                       %3d  %7.2f  %7.2f%n", clients, g.p50() - d.p50(), g.p99() - d.p99());
            }
            System.out.printf("  the gateway's own CPU time: %.2f ms per request (end of warm-up)%n", cpu.get("gateway"));

            System.out.printf("%ngateway with limits on vs off, open loop at %.0f requests/s, rounds alternate%n", fixedRate);
            Samples limitsOn = new Samples();
            Samples limitsOff = new Samples();
            for (int r = 0; r < 4; r++) {
                limitsOn.add(Load.fixedRate(gateway, fixedRate, round));
                limitsOff.add(Load.fixedRate(gatewayNoLimits, fixedRate, round));
            }
            Stats on = limitsOn.stats();
            Stats off = limitsOff.stats();
            System.out.printf("  limits on    p50 %6.2f ms  p99 %6.2f ms  (%d requests)%n", on.p50(), on.p99(), on.n());
            System.out.printf("  limits off   p50 %6.2f ms  p99 %6.2f ms  (%d requests)%n", off.p50(), off.p99(), off.n());
            System.out.printf("  limits add   p50 %6.2f ms  p99 %6.2f ms%n", on.p50() - off.p50(), on.p99() - off.p99());

            Duration throughputRound = round.multipliedBy(2);
            System.out.printf("%nthroughput, 16 clients, inference-service directly, %d pairs of %d s rounds%n",
                    THROUGHPUT_PAIRS, throughputRound.toSeconds());
            compareThroughput("request logging", throughputRound, THROUGHPUT_PAIRS,
                    direct, new CpuShares(fleet, "inference-service", "billing-service"),
                    directNoLog, new CpuShares(fleet, "inference-nolog", "billing-service"));

            compareObservability(fleet, throughputRound, gatewayObserved, gatewayQuiet);

            System.out.println("\nmodel-runner alone, in this process (the fleet idle)");
            // inference-service's defaults: the same record.
            RunnerConfig likeTheService = RunnerConfig.defaults(root.resolve("reference-policy/bundles"));
            try (ModelRunner runner = ModelRunner.start(likeTheService)) {
                Call alone = i -> {
                    EvalSet.Scene s = scenes.get(i % scenes.size());
                    runner.predict(new InferenceRequest(null, s.imageBytes(), s.instruction(), null));
                    return true;
                };
                Load.throughput(alone, 4, round);
                for (int clients : new int[] {1, 16}) {
                    Samples samples = new Samples();
                    for (int r = 0; r < LATENCY_ROUNDS; r++) {
                        samples.add(Load.closedLoop(alone, clients, Math.max(10, REQUESTS_PER_ROUND / clients)));
                    }
                    Stats s = samples.stats();
                    System.out.printf("  model-runner alone (in-process)    %3d  %7.2f  %7.2f%n", clients, s.p50(), s.p99());
                }
            }
        }
    }

    /**
     * Throughput through two pairs of gateway and inference-service started alike and used alike (the
     * fleet's own pair also carries the other sections' traffic and their request-log backlog), one
     * with metrics and structured logs as shipped, one without.
     */
    private static void compareObservability(LocalFleet fleet, Duration round, Call observed, Call quiet) throws Exception {
        System.out.printf("%nthroughput, 16 clients, through the gateway, %d pairs of %d s rounds: metrics and"
                + " structured logs (JSON, a vla.access line per request) on vs off in gateway and inference-service%n",
                OBSERVABILITY_PAIRS, round.toSeconds());
        compareThroughput("metrics and structured logs", round, OBSERVABILITY_PAIRS,
                observed, new CpuShares(fleet, "gateway-observed", "inference-observed"),
                quiet, new CpuShares(fleet, "gateway-quiet", "inference-quiet"));
    }

    /**
     * Throughput of two paths in pairs of rounds, each side first in every other pair so that the
     * machine's drift favours neither; prints both and what the first costs against the second.
     */
    private static void compareThroughput(String feature, Duration round, int pairs, Call on, CpuShares onShares, Call off,
                                          CpuShares offShares) throws Exception {
        double[] pairCosts = new double[pairs];
        for (int r = 0; r < pairs; r++) {
            double withFeature;
            double without;
            if (r % 2 == 0) {
                withFeature = onShares.measure(() -> Load.throughput(on, 16, round));
                without = offShares.measure(() -> Load.throughput(off, 16, round));
            } else {
                without = offShares.measure(() -> Load.throughput(off, 16, round));
                withFeature = onShares.measure(() -> Load.throughput(on, 16, round));
            }
            pairCosts[r] = 100 * (1 - withFeature / without);
        }
        System.out.printf("  %s on   %7.1f requests/s   CPU ms per request: %s%n", feature, onShares.perSecond(), onShares);
        System.out.printf("  %s off  %7.1f requests/s   CPU ms per request: %s%n", feature, offShares.perSecond(), offShares);
        Arrays.sort(pairCosts);
        System.out.printf("  %s cost %.1f%% of throughput (pair by pair: median %.1f%%, from %.1f%% to %.1f%%)%n", feature,
                100 * (1 - onShares.perSecond() / offShares.perSecond()), median(pairCosts), pairCosts[0],
                pairCosts[pairCosts.length - 1]);
    }

    private static Map<String, Warmup.Path> pathsToWarm(Call gateway, Call gatewayNoLimits, Call gatewayObserved, Call gatewayQuiet,
                                                        Call direct, Call directNoLog, Call usageBatch) {
        Map<String, Warmup.Path> paths = new LinkedHashMap<>();
        paths.put("gateway", new Warmup.Path("gateway-service", gateway));
        paths.put("gateway-nolimits", new Warmup.Path("gateway-nolimits", gatewayNoLimits));
        paths.put("gateway-observed", new Warmup.Path("gateway-observed", gatewayObserved));
        paths.put("gateway-quiet", new Warmup.Path("gateway-quiet", gatewayQuiet));
        paths.put("inference", new Warmup.Path("inference-service", direct));
        paths.put("inference-nolog", new Warmup.Path("inference-nolog", directNoLog));
        paths.put("billing", new Warmup.Path("billing-service", usageBatch));
        return paths;
    }

    private static double median(double[] sorted) {
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** A batch of new usage events as the relay pushes them; billing stores each request id once, so all are new. */
    private static byte[] usageEvents(String customerId, Instant servedAt) {
        StringJoiner events = new StringJoiner(",", "{\"events\":[", "]}");
        for (int i = 0; i < USAGE_EVENTS_PER_WARMUP_BATCH; i++) {
            events.add("{\"request_id\":\"" + UUID.randomUUID() + "\",\"customer_id\":\"" + customerId
                    + "\",\"served_at\":\"" + servedAt + "\",\"model\":\"tabletop-v1\"}");
        }
        return events.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean post(HttpClient http, URI url, byte[] body, Map<String, String> headers) throws Exception {
        return JsonPost.status(http, url, body, headers) == 200;
    }
}
