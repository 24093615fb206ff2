package com.vlaapi.bench;

import com.vlaapi.bench.fleet.LocalFleet;
import com.vlaapi.bench.load.Call;
import com.vlaapi.servicecontract.apikey.ApiKeyFormat;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.databind.JsonNode;

/**
 * {@code bin/vla bench gateway [jfr] [SECONDS_PER_ROUND] [PAIRED_ROUNDS] [CYCLES]}: what the gateway
 * costs against a plain reverse proxy, on a fleet of its own. Paths to the same inference-service
 * with the same requests (held-out 256x256 PNG scenes, base64 JSON): direct (with the internal
 * credential the gateway sends), through Debian's nginx with no logic (PlainNginx), through the
 * gateway with a real enterprise key and its limits on, and through Spring Cloud Gateway with
 * nothing of ours (StockGateway) on its WebFlux server and on its servlet one (Server MVC): the
 * framework's floor under the gateway and the other server it could run on. After a warm-up until
 * the JIT has settled: latency added at one client, paired request by request, and each proxy's CPU
 * per request there (PairedLatency); throughput at 16 connections in rounds whose order rotates,
 * after a warm-up at 16 connections too (ProxyThroughput, wrk); the gateway's CPU per refused
 * request (RejectionCost); with {@code jfr}, a flight recording of the gateway over one proxied
 * round, summarised by top frame (JfrTopFrames). The goals it serves print next to the numbers.
 */
public final class GatewayBenchmark {

    private static final int CONNECTIONS = 16;
    private static final int DEFAULT_SECONDS_PER_ROUND = 10;
    private static final int DEFAULT_PAIRED_ROUNDS = 3000;
    private static final int DEFAULT_CYCLES = 3;
    /** Refusals are cheap and steady: fewer, shorter rounds say as much. */
    private static final int REJECTION_CYCLES = 2;
    private static final Duration WARMUP_ROUND = Duration.ofSeconds(3);
    /** Keeps the whole run near its time budget; the output says when the JIT had not settled by then. */
    private static final int WARMUP_MAX_CYCLES = 20;
    private static final Duration IDLE_WINDOW = Duration.ofSeconds(5);
    private static final Duration LOADED_WARMUP_ROUND = Duration.ofSeconds(5);
    private static final int LOADED_WARMUP_MAX_CYCLES = 8;
    private static final String GATEWAY = "gateway-service";
    private static final String JFR_GATEWAY = "gateway-jfr";
    private static final String STOCK = StockGateway.Server.WEBFLUX.instance();
    private static final String STOCK_MVC = StockGateway.Server.WEBMVC.instance();

    private GatewayBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        List<String> args = new ArrayList<>(List.of(arguments));
        boolean profile = args.remove("jfr");
        Duration round = Duration.ofSeconds(args.size() > 0 ? Integer.parseInt(args.get(0)) : DEFAULT_SECONDS_PER_ROUND);
        int pairedRounds = args.size() > 1 ? Integer.parseInt(args.get(1)) : DEFAULT_PAIRED_ROUNDS;
        int cycles = args.size() > 2 ? Integer.parseInt(args.get(2)) : DEFAULT_CYCLES;
        Duration rejectionRound = Duration.ofSeconds(Math.max(1, round.toSeconds() / 2));
        Path root = Path.of("").toAbsolutePath();
        List<byte[]> bodies = InferenceBodies.of(InferenceBodies.heldOutScenes(root));
        System.out.printf("Gateway benchmark, %s: %d cores, %d held-out 256x256 PNG scenes as base64 JSON, %s, %s%n",
                Instant.now().truncatedTo(ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(),
                bodies.size(), Wrk.version(), PlainNginx.version());

        try (LocalFleet fleet = new LocalFleet(root)) {
            // One address sends every refused request here; at the default of 120 failed authentications a minute
            // per address the gateway would soon refuse them all with 429 too_many_failed_authentications before
            // looking at the key, a different (cheaper) path than the 401 measured.
            fleet.configure(GATEWAY, Map.of("VLA_GATEWAY_FAILED_AUTHENTICATIONS_PER_MINUTE", "1000000000"));
            System.out.println("starting the fleet...");
            fleet.start();
            JsonNode customer = BenchCustomers.create(fleet, "Gateway Bench Robotics", "{\"rate_limit_per_minute\": 1000000}");
            JsonNode limited = BenchCustomers.create(fleet, "Gateway Bench Limited", "{\"rate_limit_per_minute\": 1}");
            Map<String, String> internal = BenchCustomers.asTheGateway(fleet, customer);
            URI inference = fleet.url("inference-service", "/v1/inference");
            URI gateway = fleet.url(GATEWAY, "/v1/inference");
            try (PlainNginx nginx = PlainNginx.start(inference.getPort()); Wrk wrk = Wrk.prepare(bodies)) {
                StockGateway stock = StockGateway.start(StockGateway.Server.WEBFLUX, fleet, root, inference, internal);
                StockGateway stockMvc = StockGateway.start(StockGateway.Server.WEBMVC, fleet, root, inference, internal);
                Wrk.Target direct = new Wrk.Target("direct", inference, internal);
                Wrk.Target viaNginx = new Wrk.Target("nginx", nginx.url("/v1/inference"), internal);
                Wrk.Target viaGateway = new Wrk.Target("gateway", gateway, bearer(key(customer)));
                Wrk.Target viaStock = new Wrk.Target("stock", stock.url("/v1/inference"), Map.of());
                Wrk.Target viaStockMvc = new Wrk.Target("stock-mvc", stockMvc.url("/v1/inference"), Map.of());
                List<RejectionCost.Kind> refusals = refusals(GATEWAY, gateway, key(limited));

                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                Call directCall = proxied(http, direct, bodies);
                Call nginxCall = proxied(http, viaNginx, bodies);
                Call gatewayCall = proxied(http, viaGateway, bodies);
                Call stockCall = proxied(http, viaStock, bodies);
                Call stockMvcCall = proxied(http, viaStockMvc, bodies);
                double gatewayWarmCpu = warmUp(fleet, http, bodies, directCall, nginxCall, gatewayCall, stockCall, stockMvcCall,
                        refusals);
                double idleCpuPerSecond = printIdleGateway(fleet);

                PairedLatency.Result latency = PairedLatency.measure(directCall, List.of(
                        new PairedLatency.Proxy("nginx", "nginx (plain reverse proxy)", nginxCall, nginx::cpuTime),
                        new PairedLatency.Proxy("gateway", "the gateway (limits on)", gatewayCall, () -> fleet.cpuTime(GATEWAY)),
                        new PairedLatency.Proxy("stock", "Spring Cloud Gateway alone, WebFlux", stockCall,
                                () -> fleet.cpuTime(STOCK)),
                        new PairedLatency.Proxy("stock-mvc", "Spring Cloud Gateway alone, Server MVC", stockMvcCall,
                                () -> fleet.cpuTime(STOCK_MVC))), pairedRounds);
                PairedLatency.print(latency, idleCpuPerSecond);

                Map<String, Wrk.Target> jvmFronted = new LinkedHashMap<>();
                jvmFronted.put("inference-service", direct);
                jvmFronted.put(GATEWAY, viaGateway);
                jvmFronted.put(STOCK, viaStock);
                jvmFronted.put(STOCK_MVC, viaStockMvc);
                Warmup.untilSettledUnderLoad(fleet, wrk, jvmFronted, CONNECTIONS, LOADED_WARMUP_ROUND, LOADED_WARMUP_MAX_CYCLES);

                ProxyThroughput.Result throughput = ProxyThroughput.measure(wrk, List.of(
                        new ProxyThroughput.Path("direct", direct, new CpuShares(fleet, "inference-service")),
                        new ProxyThroughput.Path("nginx", viaNginx,
                                new CpuShares(fleet, "inference-service").including("nginx", nginx::cpuTime)),
                        new ProxyThroughput.Path("gateway", viaGateway, new CpuShares(fleet, GATEWAY, "inference-service",
                                "customer-service").including("redis", CpuShares.processesNamed("redis-server"))
                                .includingCompiler(fleet, GATEWAY)),
                        new ProxyThroughput.Path("stock", viaStock, new CpuShares(fleet, STOCK,
                                "inference-service").includingCompiler(fleet, STOCK)),
                        new ProxyThroughput.Path("stock-mvc", viaStockMvc, new CpuShares(fleet, STOCK_MVC,
                                "inference-service").includingCompiler(fleet, STOCK_MVC))),
                        CONNECTIONS, round, cycles);
                ProxyThroughput.print(throughput, CONNECTIONS, round);
                printFrameworkFloor(throughput);

                List<RejectionCost.Result> rejected = RejectionCost.measure(fleet, wrk, refusals, CONNECTIONS, rejectionRound,
                        REJECTION_CYCLES);
                RejectionCost.print(rejected, CONNECTIONS, rejectionRound, REJECTION_CYCLES);

                if (profile) {
                    profileGateway(fleet, http, bodies, wrk, key(customer), gatewayWarmCpu, root, round);
                }
                GatewayGoals.print(latency, throughput, rejected);
            }
        }
    }

    /**
     * The refusals measured: three ways to a 401 and the burst limit's 429; {@code limitedKey} is a
     * key whose customer may send one request a minute.
     */
    static List<RejectionCost.Kind> refusals(String instance, URI gateway, String limitedKey) {
        byte[] random = new byte[ApiKeyFormat.RANDOM_BYTES];
        new SecureRandom().nextBytes(random);
        String unknown = ApiKeyFormat.newKey(random);
        // The same key with its last checksum character changed: the shape of a key, a checksum that fails.
        char last = unknown.charAt(unknown.length() - 1);
        String badChecksum = unknown.substring(0, unknown.length() - 1) + (last == 'A' ? 'B' : 'A');
        return List.of(
                new RejectionCost.Kind("401 key whose checksum fails (no lookup)", instance,
                        new Wrk.Target("bad-checksum", gateway, bearer(badChecksum)), 401, false),
                new RejectionCost.Kind("401 unknown key, checksum valid (cached)", instance,
                        new Wrk.Target("unknown-key", gateway, bearer(unknown)), 401, false),
                new RejectionCost.Kind("401 no Authorization header", instance,
                        new Wrk.Target("no-key", gateway, Map.of()), 401, false),
                new RejectionCost.Kind("429 burst limit (1 request a minute)", instance,
                        new Wrk.Target("rate-limited", gateway, bearer(limitedKey)), 429, true));
    }

    /**
     * Warms the five paths and the refusals (taken in turn as one path) until the JIT has settled
     * in every service they reach; returns the gateway's CPU ms per proxied request in the last cycle.
     */
    private static double warmUp(LocalFleet fleet, HttpClient http, List<byte[]> bodies, Call direct, Call nginx, Call gateway,
                               Call stock, Call stockMvc, List<RejectionCost.Kind> refusals) throws Exception {
        Map<String, Warmup.Path> paths = new LinkedHashMap<>();
        paths.put("direct", new Warmup.Path("inference-service", direct));
        // nginx compiles nothing; the JVM behind it is inference-service.
        paths.put("nginx", new Warmup.Path("inference-service", nginx));
        paths.put("gateway", new Warmup.Path(GATEWAY, gateway));
        paths.put("stock", new Warmup.Path(STOCK, stock));
        paths.put("stock-mvc", new Warmup.Path(STOCK_MVC, stockMvc));
        LongAdder resent = new LongAdder();
        paths.put("gateway refusals", new Warmup.Path(GATEWAY, refused(http, refusals, bodies, resent)));
        System.out.println();
        double gatewayCpu = Warmup.untilSettled(fleet, paths, WARMUP_ROUND, WARMUP_MAX_CYCLES).get("gateway");
        System.out.printf("  refusals sent again after java.net.http closed their kept-alive connection under them"
                + " (its pool race, JsonPost): %d%n", resent.sum());
        return gatewayCpu;
    }

    /**
     * What the gateway spends with no request at all (timers, connections kept alive, a JIT still
     * finishing its queue): counted in every per-request figure below, not subtracted; returns its
     * CPU milliseconds per second.
     */
    private static double printIdleGateway(LocalFleet fleet) throws Exception {
        long before = fleet.cpuTime(GATEWAY).toNanos();
        long compilerBefore = fleet.jitCompilerTime(GATEWAY).toNanos();
        Thread.sleep(IDLE_WINDOW.toMillis());
        double perSecond = (fleet.cpuTime(GATEWAY).toNanos() - before) / 1e6 / IDLE_WINDOW.toSeconds();
        double compiler = (fleet.jitCompilerTime(GATEWAY).toNanos() - compilerBefore) / 1e6 / IDLE_WINDOW.toSeconds();
        System.out.printf("%nthe gateway at rest (no requests, %d s): %.2f ms of CPU per second, %.2f of it JIT compiler threads"
                + " (included in the per-request figures below, not subtracted)%n", IDLE_WINDOW.toSeconds(), perSecond, compiler);
        return perSecond;
    }

    /** A gateway of its own with JFR initialised (GatewayProfile), warmed up alone, then recorded over one round through it. */
    private static void profileGateway(LocalFleet fleet, HttpClient http, List<byte[]> bodies, Wrk wrk, String key,
                                       double gatewayWarmCpu, Path root, Duration round) throws Exception {
        Path dir = root.resolve("bench/target");
        System.out.printf("%nJFR: starting one more gateway (%s) with JFR initialised, recording nothing yet...%n", JFR_GATEWAY);
        GatewayProfile.startGateway(fleet, JFR_GATEWAY, dir);
        Wrk.Target target = new Wrk.Target(JFR_GATEWAY, fleet.url(JFR_GATEWAY, "/v1/inference"), bearer(key));
        double warmCpu = Warmup.untilSettled(fleet, Map.of(JFR_GATEWAY, new Warmup.Path(JFR_GATEWAY, proxied(http, target, bodies))),
                WARMUP_ROUND, WARMUP_MAX_CYCLES).get(JFR_GATEWAY);
        Path file = dir.resolve("gateway-benchmark-"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now()) + ".jfr");
        CpuShares cpu = new CpuShares(fleet, JFR_GATEWAY);
        double perSecond = GatewayProfile.record(fleet, JFR_GATEWAY, file,
                () -> cpu.measure(() -> ProxyThroughput.allAnswered(wrk.run(target, CONNECTIONS, round), JFR_GATEWAY)));
        System.out.printf("JFR profile of %s (CPU samples alone, every %s) over one %d s round through it at %d connections:%n"
                + "  %.1f requests/s; its CPU: %.3f ms per request with the recording on, %.3f at the end of its warm-up (4 clients,"
                + " JFR initialised, not recording; the fleet's gateway: %.3f)%n",
                JFR_GATEWAY, GatewayProfile.SAMPLE_PERIOD, round.toSeconds(), CONNECTIONS, perSecond, cpu.millisPerRequest(JFR_GATEWAY),
                warmCpu, gatewayWarmCpu);
        System.out.println("  recording: " + file);
        JfrTopFrames.read(file).print();
    }

    /**
     * The gateway beside Spring Cloud Gateway alone on each of its servers, each with and without
     * what its JIT compiler threads still took.
     */
    private static void printFrameworkFloor(ProxyThroughput.Result throughput) {
        System.out.println("  the framework's floor, CPU per request (ms), all / without the JIT compiler threads:");
        printFloor("the gateway (WebFlux)", throughput.path("gateway").cpu(), GATEWAY);
        printFloor("Spring Cloud Gateway alone, WebFlux (stock)", throughput.path("stock").cpu(), STOCK);
        printFloor("Spring Cloud Gateway alone, Server MVC (stock-mvc)", throughput.path("stock-mvc").cpu(), STOCK_MVC);
    }

    private static void printFloor(String label, CpuShares cpu, String instance) {
        System.out.printf("    %-52s %.3f / %.3f%n", label, cpu.millisPerRequest(instance), withoutCompiler(cpu, instance));
    }

    private static double withoutCompiler(CpuShares shares, String instance) {
        return shares.millisPerRequest(instance) - shares.millisPerRequest(CpuShares.compilerOf(instance));
    }

    /**
     * The refusals taken in turn, each answered with its kind's status; a refusal the client lost to
     * its own pool race (JsonPost) is sent again and counted in {@code resent}.
     */
    static Call refused(HttpClient http, List<RejectionCost.Kind> refusals, List<byte[]> bodies, LongAdder resent) {
        return i -> {
            RejectionCost.Kind kind = refusals.get(i % refusals.size());
            int status = JsonPost.statusResendingAfterClientRace(http, kind.target().url(), bodies.get(i % bodies.size()),
                    kind.target().headers(), resent);
            return status == kind.status() || kind.allowedThrough() && status == 200;
        };
    }

    /** A request the path must answer with 200. */
    static Call proxied(HttpClient http, Wrk.Target target, List<byte[]> bodies) {
        return i -> JsonPost.status(http, target.url(), bodies.get(i % bodies.size()), target.headers()) == 200;
    }

    private static String key(JsonNode created) {
        return created.get("api_key").get("key").asString();
    }

    static Map<String, String> bearer(String key) {
        return Map.of("Authorization", "Bearer " + key);
    }
}
