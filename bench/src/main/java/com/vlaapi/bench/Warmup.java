package com.vlaapi.bench;

import com.vlaapi.bench.fleet.LocalFleet;
import com.vlaapi.bench.load.Call;
import com.vlaapi.bench.load.Load;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Warms every path until the JIT has settled. On this machine a Spring service keeps compiling its
 * request path for 20,000 requests or more, its compiler threads take the cores the requests need,
 * and its CPU time per request falls tenfold meanwhile; a fixed short warm-up measures the
 * compiler. Each cycle sends every path a round of load and reads, from the OS, how much of the
 * path's front service's CPU time went to its JIT compiler threads; warm-up ends once that share
 * is under {@value #SETTLED_PERCENT}% for every path.
 */
final class Warmup {

    private static final int SETTLED_PERCENT = 5;
    private static final int MIN_CYCLES = 2;
    private static final int MAX_CYCLES = 40;
    private static final int CLIENTS = 4;

    /** A path to warm up, and the fleet instance that serves it first. */
    record Path(String instance, Call call) {
    }

    private record Cycle(double cpuMillisPerRequest, double compilerPercent) {
    }

    private Warmup() {
    }

    /** Returns each path's front instance's CPU milliseconds per request in the last cycle. */
    static Map<String, Double> untilSettled(LocalFleet fleet, Map<String, Path> paths, Duration round) throws Exception {
        return untilSettled(fleet, paths, round, MAX_CYCLES);
    }

    /** As above, giving up after {@code maxCycles} (a benchmark with a time budget measures what it has then). */
    static Map<String, Double> untilSettled(LocalFleet fleet, Map<String, Path> paths, Duration round, int maxCycles)
            throws Exception {
        System.out.printf("warming up until no service spends over %d%% of its CPU time compiling (%d clients, %d s per path and cycle)%n",
                SETTLED_PERCENT, CLIENTS, round.toSeconds());
        System.out.print("  cycle");
        paths.keySet().forEach(name -> System.out.printf("  %22s", name));
        System.out.println("\n       " + "  ms CPU/request, % JIT".repeat(paths.size()));
        Map<String, Double> cpu = new LinkedHashMap<>();
        for (int cycle = 1; cycle <= maxCycles; cycle++) {
            boolean settled = cycle >= MIN_CYCLES;
            System.out.printf("  %5d", cycle);
            for (Map.Entry<String, Path> path : paths.entrySet()) {
                Cycle c = measure(fleet, path.getValue(), round);
                cpu.put(path.getKey(), c.cpuMillisPerRequest());
                settled &= c.compilerPercent() < SETTLED_PERCENT;
                System.out.printf("  %14.3f %6.1f%%", c.cpuMillisPerRequest(), c.compilerPercent());
            }
            System.out.println();
            if (settled) {
                return cpu;
            }
        }
        System.out.printf("  (still compiling after %d cycles; measuring anyway)%n", maxCycles);
        return cpu;
    }

    /**
     * The same at {@code connections} connections with wrk, for a benchmark measured there: a JVM warmed
     * by {@value #CLIENTS} clients still compiles the paths a heavier load takes (requests queued behind
     * one another on an event loop, larger batches), and counts that in its CPU per request. Rounds
     * through each of {@code paths} (the instance in front of each, and its target) until none of
     * those instances spends over {@value #SETTLED_PERCENT}% of its CPU time compiling.
     */
    static void untilSettledUnderLoad(LocalFleet fleet, Wrk wrk, Map<String, Wrk.Target> paths, int connections, Duration round,
                                      int maxCycles) throws Exception {
        System.out.printf("%nwarming up at %d connections (wrk) until no service spends over %d%% of its CPU time compiling"
                + " (%d s per path and cycle)%n", connections, SETTLED_PERCENT, round.toSeconds());
        for (int cycle = 1; cycle <= maxCycles; cycle++) {
            boolean settled = true;
            StringBuilder line = new StringBuilder(String.format("  %5d", cycle));
            for (Map.Entry<String, Wrk.Target> path : paths.entrySet()) {
                Wrk.Target target = path.getValue();
                Cycle c = measure(fleet, path.getKey(), () -> {
                    Wrk.Result served = wrk.run(target, connections, round);
                    ProxyThroughput.allAnswered(served, target.name());
                    return (double) served.requests();
                });
                settled &= c.compilerPercent() < SETTLED_PERCENT;
                line.append(String.format("  %s %.1f%% JIT", path.getKey(), c.compilerPercent()));
            }
            System.out.println(line);
            if (settled) {
                return;
            }
        }
        System.out.printf("  (still compiling after %d cycles; measuring anyway)%n", maxCycles);
    }

    /** Four clients through {@code path} for {@code round}. */
    private static Cycle measure(LocalFleet fleet, Path path, Duration round) throws Exception {
        return measure(fleet, path.instance(), () -> {
            long start = System.nanoTime();
            double perSecond = Load.throughput(path.call(), CLIENTS, round);
            return perSecond * (System.nanoTime() - start) / 1e9;
        });
    }

    /** What {@code instance} spent while {@code load} ran; {@code load} returns the requests it had served. */
    private static Cycle measure(LocalFleet fleet, String instance, Callable<Double> load) throws Exception {
        Duration cpuBefore = fleet.cpuTime(instance);
        Duration compilerBefore = fleet.jitCompilerTime(instance);
        double requests = load.call();
        double cpuMillis = fleet.cpuTime(instance).minus(cpuBefore).toNanos() / 1e6;
        double compilerMillis = fleet.jitCompilerTime(instance).minus(compilerBefore).toNanos() / 1e6;
        return new Cycle(cpuMillis / requests, 100 * compilerMillis / Math.max(cpuMillis, 1));
    }
}
