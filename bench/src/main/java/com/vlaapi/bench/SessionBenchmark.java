package com.vlaapi.bench;

import com.vlaapi.bench.fleet.LocalFleet;
import com.vlaapi.bench.load.Call;
import com.vlaapi.referencepolicy.eval.EvalSet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bin/vla bench sessions [SECONDS] [SESSIONS] [HZ]}: on a fleet of its own, what a streaming
 * session costs over the model call and what a robot fleet of sessions gets.
 * <ol>
 *   <li>Round trip: one session (MessagePack) read by the measuring thread itself ({@link
 *   BlockingSessionSocket}), one through the JDK's WebSocket client, {@code POST /v1/inference}
 *   through the gateway and the same call straight to inference-service (as the gateway makes it),
 *   alternating observation by observation with the same images; for each, the client's round trip minus inference-service's
 *   own time for it (the session's {@code server_timing.inference_ms}, the REST answer's {@code
 *   latency_ms}), and the session's and the gateway's round trip minus the same observation's direct
 *   call: what the path adds over the model call.</li>
 *   <li>Bytes: the MessagePack observation frame (raw PNG) against the REST JSON body (base64) and
 *   the JSON observation frame, for the same images.</li>
 *   <li>Load: {@code SESSIONS} sessions (default 32) each sending an observation at {@code HZ}
 *   (default 10) for {@code SECONDS} (default 30) after {@link #LOAD_WARMUP} of the same load,
 *   stamped with its send time; the chunks' {@code deadline_missed} (in all and per fifth of the
 *   run) and the time from observation to chunk.</li>
 * </ol>
 */
public final class SessionBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** After the fleet's warm-up, pairs sent through the round trip's own two connections before measuring. */
    private static final int WARMUP_OBSERVATIONS = 200;
    private static final Duration WARMUP_ROUND = Duration.ofSeconds(3);
    private static final int WARMUP_CLIENTS = 4;
    private static final int PAIRED_OBSERVATIONS = 1000;
    /**
     * The load runs this long unmeasured first: 32 sessions batch and interleave as the warm-up's
     * few clients do not, and the services' JIT compiles for it (a recording showed their compiler
     * threads busy through the load's first seconds).
     */
    private static final Duration LOAD_WARMUP = Duration.ofSeconds(10);
    private static final int LOAD_WINDOWS = 5;

    private SessionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int sessions = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        double hz = args.length > 2 ? Double.parseDouble(args[2]) : 10;
        Path root = Path.of("").toAbsolutePath();
        List<EvalSet.Scene> scenes = EvalSet.read(root.resolve("reference-policy/evalsets/tabletop-v1")).scenes().subList(0, 64);
        System.out.printf("Session benchmark: %d cores, %d held-out 256x256 PNG scenes%n",
                Runtime.getRuntime().availableProcessors(), scenes.size());
        try (LocalFleet fleet = new LocalFleet(root)) {
            fleet.configure("gateway-service", Map.of("VLA_GATEWAY_SESSIONS_MAX_SESSIONS_PER_KEY", Integer.toString(sessions + 1),
                    "VLA_GATEWAY_SESSIONS_MAX_SESSIONS_PER_CUSTOMER", Integer.toString(sessions + 1)));
            System.out.println("starting the fleet...");
            fleet.start();
            JsonNode customer = BenchCustomers.create(fleet, "Session Bench Robotics", "{\"rate_limit_per_minute\": 1000000}");
            String key = customer.get("api_key").get("key").asString();
            Map<String, String> internal = BenchCustomers.asTheGateway(fleet, customer);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI sessionUrl = URI.create(fleet.url("gateway-service", "/v1/sessions?format=msgpack").toString().replaceFirst("^http", "ws"));
            URI restUrl = fleet.url("gateway-service", "/v1/inference");

            warmUp(fleet, http, sessionUrl, restUrl, key, scenes);
            roundTrip(http, sessionUrl, restUrl, key, new Direct(fleet.url("inference-service", "/v1/inference"), internal), scenes);
            bytes(scenes);
            load(fleet, http, sessionUrl, key, scenes, sessions, hz, Duration.ofSeconds(seconds));
        }
    }

    /**
     * Sessions through the gateway and {@code POST /v1/inference} (chunks) until neither the gateway
     * nor inference-service spends over 5% of its CPU compiling: a fixed number of observations left
     * both compiling for as long as they served (their compiler threads took as much CPU as the
     * requests), which the CPU per chunk then counted.
     */
    private static void warmUp(LocalFleet fleet, HttpClient http, URI sessionUrl, URI restUrl, String key,
                               List<EvalSet.Scene> scenes) throws Exception {
        BlockingQueue<SessionSocket> sockets = new ArrayBlockingQueue<>(WARMUP_CLIENTS);
        for (int i = 0; i < WARMUP_CLIENTS; i++) {
            SessionSocket socket = SessionSocket.open(http, sessionUrl, key);
            socket.next(); // the session's metadata
            sockets.add(socket);
        }
        try {
            Call session = sequence -> {
                SessionSocket socket = sockets.take();
                try {
                    observe(socket, scenes.get(sequence % scenes.size()), sequence);
                    return true;
                } finally {
                    sockets.add(socket);
                }
            };
            Call rest = sequence -> {
                post(http, restUrl, Map.of("Authorization", "Bearer " + key), scenes.get(sequence % scenes.size()));
                return true;
            };
            Map<String, Warmup.Path> paths = new LinkedHashMap<>();
            paths.put("sessions (gateway)", new Warmup.Path("gateway-service", session));
            paths.put("REST (inference)", new Warmup.Path("inference-service", rest));
            Warmup.untilSettled(fleet, paths, WARMUP_ROUND);
        } finally {
            sockets.forEach(SessionSocket::close);
        }
    }

    /** inference-service itself, called as the gateway calls it. */
    private record Direct(URI url, Map<String, String> headers) {
    }

    private static void roundTrip(HttpClient http, URI sessionUrl, URI restUrl, String key, Direct direct,
                                  List<EvalSet.Scene> scenes) throws Exception {
        try (SessionClient session = BlockingSessionSocket.open(sessionUrl, key);
             SessionClient jdkSession = SessionSocket.open(http, sessionUrl, key)) {
            Map<String, Object> metadata = session.next().message();
            jdkSession.next();
            @SuppressWarnings("unchecked")
            Map<String, Object> model = (Map<String, Object>) metadata.get("model");
            System.out.printf("session open: model %s %s, chunks of %s at %s Hz%n", model.get("id"), model.get("version"),
                    model.get("chunk_length"), model.get("control_rate_hz"));
            double[] sessionAdded = new double[PAIRED_OBSERVATIONS];
            double[] jdkSessionAdded = new double[PAIRED_OBSERVATIONS];
            double[] restAdded = new double[PAIRED_OBSERVATIONS];
            double[] modelMs = new double[PAIRED_OBSERVATIONS];
            double[] gatewayMs = new double[PAIRED_OBSERVATIONS];
            double[] hopMs = new double[PAIRED_OBSERVATIONS];
            double[] directAdded = new double[PAIRED_OBSERVATIONS];
            double[] sessionOverDirect = new double[PAIRED_OBSERVATIONS];
            double[] restOverDirect = new double[PAIRED_OBSERVATIONS];
            Map<String, String> bearer = Map.of("Authorization", "Bearer " + key);
            System.out.printf("%d more observations each way on these four connections before measuring%n", WARMUP_OBSERVATIONS);
            for (int i = 0; i < WARMUP_OBSERVATIONS + PAIRED_OBSERVATIONS; i++) {
                EvalSet.Scene scene = scenes.get(i % scenes.size());
                double[] viaSession = null;
                double[] viaJdkSession = null;
                double[] viaRest = null;
                double[] viaDirect = null;
                // The order rotates, so that no path always follows the same one.
                for (int turn = 0; turn < 4; turn++) {
                    switch ((i + turn) % 4) {
                        case 0 -> viaSession = observe(session, scene, i);
                        case 1 -> viaJdkSession = observe(jdkSession, scene, i);
                        case 2 -> viaRest = post(http, restUrl, bearer, scene);
                        default -> viaDirect = post(http, direct.url(), direct.headers(), scene);
                    }
                }
                if (i >= WARMUP_OBSERVATIONS) {
                    int n = i - WARMUP_OBSERVATIONS;
                    sessionAdded[n] = viaSession[0];
                    jdkSessionAdded[n] = viaJdkSession[0];
                    modelMs[n] = viaSession[1];
                    gatewayMs[n] = viaSession[2];
                    hopMs[n] = viaSession[3];
                    restAdded[n] = viaRest[1];
                    directAdded[n] = viaDirect[1];
                    sessionOverDirect[n] = viaSession[0] + viaSession[1] - viaDirect[0];
                    restOverDirect[n] = viaRest[0] - viaDirect[0];
                }
            }
            System.out.printf("%nRound trip minus inference-service's own time (ms), %d observations alternating:%n",
                    PAIRED_OBSERVATIONS);
            print("session (MessagePack, raw PNG)", Stats.of(sessionAdded));
            print("the same, JDK WebSocket client", Stats.of(jdkSessionAdded));
            print("POST /v1/inference (JSON, base64)", Stats.of(restAdded));
            print("POST to inference-service itself", Stats.of(directAdded));
            System.out.printf("  the session's part, p50 (ms): inference-service's own time %.3f; the gateway's own work %.3f;"
                    + " the hop to inference-service and back beyond its own time %.3f; the rest is the WebSocket both ways%n",
                    percentile(modelMs, 0.50), percentile(gatewayMs, 0.50), percentile(hopMs, 0.50));
            System.out.printf("Round trip minus the same observation's direct call to inference-service (ms), paired:%n");
            print("session (MessagePack, raw PNG)", Stats.of(sessionOverDirect));
            print("POST /v1/inference (JSON, base64)", Stats.of(restOverDirect));
        }
    }

    /** @return {client round trip - inference_ms, inference_ms, gateway_ms, upstream_ms - inference_ms} (server_timing's) */
    private static double[] observe(SessionClient session, EvalSet.Scene scene, long id) throws Exception {
        byte[] frame = MessagePackValues.pack(observation(scene, id));
        long sent = System.nanoTime();
        session.send(frame);
        SessionClient.Received answer = session.next();
        Map<String, Object> message = answer.message();
        if (!"chunk".equals(message.get("type"))) {
            throw new IllegalStateException("the session answered " + message);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> timing = (Map<String, Object>) message.get("server_timing");
        double inference = ((Number) timing.get("inference_ms")).doubleValue();
        double upstream = ((Number) timing.get("upstream_ms")).doubleValue();
        double gateway = ((Number) timing.get("gateway_ms")).doubleValue();
        return new double[] {(answer.arrivedNanos() - sent) / 1e6 - inference, inference, gateway, upstream - inference};
    }

    /** @return {client round trip, client round trip - latency_ms} */
    private static double[] post(HttpClient http, URI url, Map<String, String> headers, EvalSet.Scene scene) throws Exception {
        byte[] body = restBody(scene);
        HttpRequest.Builder request = HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        long sent = System.nanoTime();
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        double roundTrip = (System.nanoTime() - sent) / 1e6;
        if (response.statusCode() != 200) {
            throw new IllegalStateException("POST " + url + " answered " + response.statusCode() + " " + response.body());
        }
        return new double[] {roundTrip, roundTrip - JSON.readTree(response.body()).get("latency_ms").asDouble()};
    }

    private static void bytes(List<EvalSet.Scene> scenes) {
        long msgpack = 0;
        long jsonFrame = 0;
        long rest = 0;
        long png = 0;
        for (int i = 0; i < scenes.size(); i++) {
            EvalSet.Scene scene = scenes.get(i);
            png += scene.imageBytes().length;
            msgpack += MessagePackValues.pack(observation(scene, i)).length;
            Map<String, Object> asJson = observation(scene, i);
            asJson.put("image", Base64.getEncoder().encodeToString(scene.imageBytes()));
            jsonFrame += JSON.writeValueAsString(asJson).getBytes(StandardCharsets.UTF_8).length;
            rest += restBody(scene).length;
        }
        int n = scenes.size();
        System.out.printf("%nBytes per observation, mean of %d scenes (PNG files %d bytes):%n", n, png / n);
        System.out.printf("  MessagePack frame, raw PNG:            %6d  (%.1f%% of the REST body)%n", msgpack / n, 100.0 * msgpack / rest);
        System.out.printf("  JSON frame, base64 PNG:                %6d  (%.1f%%)%n", jsonFrame / n, 100.0 * jsonFrame / rest);
        System.out.printf("  POST /v1/inference JSON body, base64:  %6d%n", rest / n);
    }

    /** Where a load stands: its chunks are counted apart while warming up, measured, then ignored. */
    private enum LoadPhase {
        WARMING_UP, MEASURING, ENDED
    }

    private static void load(LocalFleet fleet, HttpClient http, URI url, String key, List<EvalSet.Scene> scenes, int sessions, double hz,
                             Duration length) throws Exception {
        System.out.printf("%n%d sessions at %.0f Hz each for %d s, after %d s of the same load unmeasured...%n", sessions, hz,
                length.toSeconds(), LOAD_WARMUP.toSeconds());
        ConcurrentLinkedQueue<double[]> chunks = new ConcurrentLinkedQueue<>();
        AtomicReference<LoadPhase> phase = new AtomicReference<>(LoadPhase.WARMING_UP);
        // The unmeasured seconds' chunks and misses: the transient of a fleet meeting the load, shown apart.
        AtomicLong warmUpChunks = new AtomicLong();
        AtomicLong warmUpMissed = new AtomicLong();
        long[] measuredFrom = new long[1];
        AtomicLong errors = new AtomicLong();
        AtomicLong dropped = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        List<SessionSocket> open = new ArrayList<>();
        Map<String, Duration> cpuBefore = Map.of();
        Map<String, Duration> cpuAfter;
        double[] batchesBefore = {0, 0};
        double[] batchesAfter;
        long sentBefore;
        long sentDuring;
        ScheduledExecutorService robots = Executors.newScheduledThreadPool(4);
        try {
            for (int s = 0; s < sessions; s++) {
                open.add(SessionSocket.open(http, url, key, received -> {
                    Map<String, Object> message = received.message();
                    LoadPhase now = phase.get();
                    if (now == LoadPhase.WARMING_UP && "chunk".equals(message.get("type"))) {
                        warmUpChunks.incrementAndGet();
                        warmUpMissed.addAndGet(Boolean.TRUE.equals(message.get("deadline_missed")) ? 1 : 0);
                    }
                    if (now != LoadPhase.MEASURING) {
                        return;
                    }
                    double seconds = System.currentTimeMillis() / 1000.0;
                    if ("chunk".equals(message.get("type"))) {
                        double t0 = ((Number) message.get("t0")).doubleValue();
                        chunks.add(new double[] {(seconds - t0) * 1000, Boolean.TRUE.equals(message.get("deadline_missed")) ? 1 : 0,
                                System.nanoTime() - measuredFrom[0]});
                        dropped.addAndGet(((Number) message.getOrDefault("dropped", 0L)).longValue());
                    } else if ("error".equals(message.get("type"))) {
                        errors.incrementAndGet();
                    }
                }));
            }
            long periodMicros = Math.round(1e6 / hz);
            for (int s = 0; s < sessions; s++) {
                SessionSocket session = open.get(s);
                int robot = s;
                // Spread over the period, as robots that started at different times are.
                robots.scheduleAtFixedRate(() -> {
                    long id = sent.incrementAndGet();
                    Map<String, Object> observation = observation(scenes.get((int) ((id + robot) % scenes.size())), id);
                    observation.put("observation_time", System.currentTimeMillis() / 1000.0);
                    session.send(MessagePackValues.pack(observation));
                }, periodMicros * s / sessions, periodMicros, TimeUnit.MICROSECONDS);
            }
            // A service's first scrape runs its metrics' exposition cold, a burst of CPU the load's
            // first measured seconds paid for; Prometheus's scrapes keep it warm in the fleet.
            batches(fleet);
            Thread.sleep(LOAD_WARMUP.toMillis());
            cpuBefore = cpu(fleet);
            batchesBefore = batches(fleet);
            sentBefore = sent.get();
            measuredFrom[0] = System.nanoTime();
            phase.set(LoadPhase.MEASURING);
            Thread.sleep(length.toMillis());
            phase.set(LoadPhase.ENDED);
            sentDuring = sent.get() - sentBefore;
            cpuAfter = cpu(fleet);
            batchesAfter = batches(fleet);
        } finally {
            robots.shutdownNow();
            robots.awaitTermination(5, TimeUnit.SECONDS);
            Thread.sleep(500);   // the last answers
            open.forEach(SessionSocket::close);
        }
        double[] age = chunks.stream().mapToDouble(c -> c[0]).toArray();
        long missed = chunks.stream().filter(c -> c[1] > 0).count();
        System.out.printf("  observations sent %d, chunks %d, dropped (newest wins) %d, errors %d%n", sentDuring, age.length,
                dropped.get(), errors.get());
        System.out.printf("  observation to chunk (ms): p50 %.1f  p95 %.1f  p99 %.1f  max %.1f  (deadline: the next tick, %.0f ms)%n",
                percentile(age, 0.50), percentile(age, 0.95), percentile(age, 0.99), percentile(age, 1.0), 1000 / hz);
        System.out.printf(Locale.ROOT, "  deadline_missed: %d of %d chunks (%.2f%%)%n", missed, age.length,
                age.length == 0 ? 0.0 : 100.0 * missed / age.length);
        System.out.println("  deadline_missed in each " + length.toSeconds() / LOAD_WINDOWS + " s of the run: "
                + missedPerWindow(chunks, length));
        System.out.printf(Locale.ROOT, "  deadline_missed in the %d s before, unmeasured: %d of %d chunks (%.2f%%)%n",
                LOAD_WARMUP.toSeconds(), warmUpMissed.get(), warmUpChunks.get(),
                warmUpChunks.get() == 0 ? 0.0 : 100.0 * warmUpMissed.get() / warmUpChunks.get());
        StringBuilder cpu = new StringBuilder("  CPU per chunk (ms):");
        for (Map.Entry<String, Duration> instance : cpuAfter.entrySet()) {
            double ms = (instance.getValue().toNanos() - cpuBefore.get(instance.getKey()).toNanos()) / 1e6;
            cpu.append(String.format(Locale.ROOT, " %s %.2f;", instance.getKey(), ms / Math.max(1, age.length)));
        }
        System.out.println(cpu + " the machine has " + Runtime.getRuntime().availableProcessors() * 1000 / hz / sessions
                + " ms of CPU per observation at this rate");
        System.out.printf(Locale.ROOT, "  the batch an observation rode in: %.2f observations on average%n",
                (batchesAfter[0] - batchesBefore[0]) / Math.max(1, batchesAfter[1] - batchesBefore[1]));
    }

    /** The share of each window's chunks that missed their deadline, by when the chunk arrived. */
    private static String missedPerWindow(Collection<double[]> chunks, Duration length) {
        long[] all = new long[LOAD_WINDOWS];
        long[] missed = new long[LOAD_WINDOWS];
        for (double[] chunk : chunks) {
            int window = (int) Math.min(LOAD_WINDOWS - 1, chunk[2] * LOAD_WINDOWS / length.toNanos());
            all[window]++;
            missed[window] += (long) chunk[1];
        }
        StringBuilder shares = new StringBuilder();
        for (int w = 0; w < LOAD_WINDOWS; w++) {
            shares.append(String.format(Locale.ROOT, "%s%.2f%%", w == 0 ? "" : ", ", all[w] == 0 ? 0.0 : 100.0 * missed[w] / all[w]));
        }
        return shares.toString();
    }

    /**
     * inference-service's {@code vla_inference_batch_size}: the sum of the batch sizes each answered
     * request rode in, and how many requests; their quotient over the load is sum(b^2)/sum(b), the
     * batch an observation rode in on average.
     */
    private static double[] batches(LocalFleet fleet) throws Exception {
        return fleet.metrics("inference-service", "vla_inference_batch_size_sum", "vla_inference_batch_size_count");
    }

    private static Map<String, Duration> cpu(LocalFleet fleet) {
        Map<String, Duration> used = new LinkedHashMap<>();
        fleet.instances().keySet().forEach(instance -> used.put(instance, fleet.cpuTime(instance)));
        return used;
    }

    private static Map<String, Object> observation(EvalSet.Scene scene, long id) {
        Map<String, Object> observation = new LinkedHashMap<>();
        observation.put("type", "observation");
        observation.put("id", id);
        observation.put("image", scene.imageBytes());
        observation.put("instruction", scene.instruction());
        return observation;
    }

    private static byte[] restBody(EvalSet.Scene scene) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("image", Base64.getEncoder().encodeToString(scene.imageBytes()));
        body.put("instruction", scene.instruction());
        body.put("return", "chunk");
        return JSON.writeValueAsBytes(body);
    }

    private static void print(String path, Stats added) {
        System.out.printf("  %-34s p50 %6.3f  p95 %6.3f  p99 %6.3f%n", path, added.p50(), added.p95(), added.p99());
    }

    private static double percentile(double[] values, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1))];
    }
}
