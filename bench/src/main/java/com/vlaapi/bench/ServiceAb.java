package com.vlaapi.bench;

import com.vlaapi.bench.fleet.LocalFleet;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * The A/B run both {@code bin/vla bench gateway-ab} ({@link GatewayVariants}) and {@code
 * inference-ab} ({@link InferenceVariants}) make: the fleet's instance of a service (A) keeps its
 * defaults, one more instance (B) starts with the arguments' environment or build; every path is
 * warmed until its JIT settles, then wrk rounds alternate the paths (the order rotating) at 1 and at
 * 16 connections: requests per second and each process's CPU per request, B against A. A subject
 * with refusals then alternates rounds of them, A's and B's, at 16 connections ({@link RejectionCost}).
 */
final class ServiceAb {

    private static final int[] CONNECTIONS = {1, 16};
    private static final Duration WARMUP_ROUND = Duration.ofSeconds(3);
    private static final int WARMUP_MAX_CYCLES = 20;
    private static final Duration AT_REST = Duration.ofSeconds(5);
    private static final int REFUSAL_CONNECTIONS = 16;

    /** What the rounds call with: the bench customer's API key, and the gateway's own headers for inference-service. */
    record Credentials(String apiKey, Map<String, String> internal) {

        Map<String, String> bearer() {
            return Map.of("Authorization", "Bearer " + apiKey);
        }
    }

    /**
     * One path of the rounds.
     *
     * @param warmed the instance whose JIT the warm-up waits for
     */
    record Route(ProxyThroughput.Path path, String warmed) {
    }

    /**
     * The service an A/B is of.
     *
     * @param title    its name in the report
     * @param service  the fleet's instance (A)
     * @param bInstance the one more instance started for B
     * @param bodies   the requests the rounds send
     * @param routes   the paths, A's and B's among them; the first is the one the others are compared with
     * @param settings what A and B both run with, unlike the service's defaults (the benchmark's needs)
     * @param refusals refused requests whose cost is compared too
     */
    record Subject(String title, String service, String bInstance, List<byte[]> bodies, Routes routes,
                   Map<String, String> settings, Refusals refusals) {
    }

    interface Routes {
        List<Route> of(LocalFleet fleet, Credentials credentials);
    }

    /** Refused requests for A and for B, in pairs: A's kind, then B's of the same kind. */
    interface Refusals {
        List<RejectionCost.Kind> of(LocalFleet fleet) throws Exception;

        Refusals NONE = fleet -> List.of();
    }

    private ServiceAb() {
    }

    /**
     * A's and B's CPU with no request at all, side by side: included in each per-request figure
     * (not subtracted), it weighs most at 1 connection; a difference here is background work, not the request path.
     */
    private static void printAtRest(LocalFleet fleet, Subject subject) throws InterruptedException {
        long a = fleet.cpuTime(subject.service()).toNanos();
        long b = fleet.cpuTime(subject.bInstance()).toNanos();
        Thread.sleep(AT_REST.toMillis());
        double aPerSecond = (fleet.cpuTime(subject.service()).toNanos() - a) / 1e6 / AT_REST.toSeconds();
        double bPerSecond = (fleet.cpuTime(subject.bInstance()).toNanos() - b) / 1e6 / AT_REST.toSeconds();
        System.out.printf("%n%s at rest (no requests, %d s): A %.2f ms of CPU per second, B %.2f%n", subject.title(),
                AT_REST.toSeconds(), aPerSecond, bPerSecond);
    }

    static void run(Subject subject, VariantArguments variant) throws Exception {
        System.out.printf("%s A/B, %s: %d cores; A: the defaults, B: %s; %s%n", subject.title(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(),
                variant.describe(), Wrk.version());
        try (LocalFleet fleet = new LocalFleet(Path.of("").toAbsolutePath())) {
            fleet.configure(subject.service(), subject.settings());
            System.out.println("starting the fleet...");
            fleet.start();
            System.out.println("starting " + subject.title() + " B...");
            variant.startB(fleet, subject.bInstance(), subject.service());
            JsonNode customer = BenchCustomers.create(fleet, subject.title() + " AB Robotics",
                    "{\"rate_limit_per_minute\": 1000000}");
            Credentials credentials = new Credentials(customer.get("api_key").get("key").asString(),
                    BenchCustomers.asTheGateway(fleet, customer));
            List<Route> routes = subject.routes().of(fleet, credentials);
            List<RejectionCost.Kind> refusals = subject.refusals().of(fleet);
            try (Wrk wrk = Wrk.prepare(subject.bodies())) {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                Map<String, Warmup.Path> warm = new LinkedHashMap<>();
                for (Route route : routes) {
                    warm.put(route.path().name(), new Warmup.Path(route.warmed(),
                            GatewayBenchmark.proxied(http, route.path().target(), subject.bodies())));
                }
                LongAdder resent = new LongAdder();
                refusals.stream().collect(Collectors.groupingBy(RejectionCost.Kind::gateway, LinkedHashMap::new, Collectors.toList()))
                        .forEach((gateway, kinds) -> warm.put(gateway + " refusals", new Warmup.Path(gateway,
                                GatewayBenchmark.refused(http, kinds, subject.bodies(), resent))));
                System.out.println();
                Warmup.untilSettled(fleet, warm, WARMUP_ROUND, WARMUP_MAX_CYCLES);
                printAtRest(fleet, subject);
                List<ProxyThroughput.Path> paths = routes.stream().map(Route::path).toList();
                for (int connections : CONNECTIONS) {
                    ProxyThroughput.Result r = ProxyThroughput.measure(wrk, paths, connections, variant.round(), variant.cycles());
                    ProxyThroughput.print(r, connections, variant.round());
                    double cpuA = r.path("A").cpu().millisPerRequest(subject.service());
                    double cpuB = r.path("B").cpu().millisPerRequest(subject.bInstance());
                    System.out.printf("  at %d connection(s): %s CPU per request A %.3f ms, B %.3f ms (B/A %.3f);"
                            + " throughput B/A %.3f%n", connections, subject.title(), cpuA, cpuB, cpuB / cpuA,
                            r.ratio("B") / r.ratio("A"));
                }
                if (!refusals.isEmpty()) {
                    compareRefusals(fleet, wrk, refusals, variant, resent.sum());
                }
            }
        }
    }

    private static void compareRefusals(LocalFleet fleet, Wrk wrk, List<RejectionCost.Kind> refusals, VariantArguments variant,
                                        long resent) throws Exception {
        List<RejectionCost.Result> results = RejectionCost.measure(fleet, wrk, refusals, REFUSAL_CONNECTIONS, variant.round(),
                variant.cycles());
        RejectionCost.print(results, REFUSAL_CONNECTIONS, variant.round(), variant.cycles());
        System.out.printf("  (warm-up refusals sent again after java.net.http's pool race, JsonPost: %d)%n", resent);
        for (int pair = 0; pair < results.size(); pair += 2) {
            RejectionCost.Result a = results.get(pair);
            RejectionCost.Result b = results.get(pair + 1);
            System.out.printf("  %s: CPU per refusal A %.4f ms, B %.4f ms (B/A %.3f); refusals/s B/A %.3f%n", a.kind().what(),
                    a.gatewayCpuMillis(), b.gatewayCpuMillis(), b.gatewayCpuMillis() / a.gatewayCpuMillis(),
                    b.perSecond() / a.perSecond());
        }
    }
}
