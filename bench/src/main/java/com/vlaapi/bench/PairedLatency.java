package com.vlaapi.bench;

import com.vlaapi.bench.load.Call;
import com.vlaapi.bench.load.Load;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a proxy adds to one client's request, paired: requests go direct and through each proxy in
 * rounds whose order rotates (Load.alternating), so that each round meets one moment of the
 * machine. Each round gives proxy - direct for every proxy; the percentiles are those of these
 * differences, which a difference of two paths' percentiles is not (the slowest direct requests and
 * the slowest proxied requests are not the same moments).
 */
final class PairedLatency {

    /** A path through a proxy: its name in the goals, its label in the table, and the CPU time its processes have used. */
    record Proxy(String name, String label, Call call, Supplier<Duration> cpuTime) {
    }

    /**
     * One proxy's latencies and added latencies (ms), and its CPU per request it proxied in the
     * window (it proxied one request of every round).
     */
    record Proxied(Proxy proxy, Stats latency, Stats added, double cpuMillis) {
    }

    record Result(Stats direct, List<Proxied> proxied, int rounds, double seconds) {

        Proxied proxy(String name) {
            return proxied.stream().filter(p -> p.proxy().name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no proxy " + name + " in the paired rounds"));
        }
    }

    private PairedLatency() {
    }

    static Result measure(Call direct, List<Proxy> proxies, int rounds) throws Exception {
        long[] cpuBefore = proxies.stream().mapToLong(p -> p.cpuTime().get().toNanos()).toArray();
        List<Call> calls = new ArrayList<>(List.of(direct));
        proxies.forEach(p -> calls.add(p.call()));
        long start = System.nanoTime();
        double[][] millis = Load.alternating(calls, 1, rounds);
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Proxied> proxied = new ArrayList<>();
        for (int k = 0; k < proxies.size(); k++) {
            Proxy proxy = proxies.get(k);
            double cpu = (proxy.cpuTime().get().toNanos() - cpuBefore[k]) / 1e6 / rounds;
            double[] added = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                added[i] = millis[k + 1][i] - millis[0][i];
            }
            proxied.add(new Proxied(proxy, Stats.of(millis[k + 1]), Stats.of(added), cpu));
        }
        return new Result(Stats.of(millis[0]), proxied, rounds, seconds);
    }

    /** @param idleCpuPerSecond the gateway's CPU milliseconds per second at rest, to say how much of its per-request CPU that is */
    static void print(Result r, double idleCpuPerSecond) {
        System.out.printf("%nlatency at 1 client, %d rounds of %d requests (direct, %s; the order rotates each round), ms%n",
                r.rounds(), r.proxied().size() + 1, String.join(", ", r.proxied().stream().map(p -> p.proxy().name()).toList()));
        System.out.println("                                                    p50      p99     mean");
        row("direct: inference-service itself", r.direct());
        r.proxied().forEach(p -> row("through " + p.proxy().label(), p.latency()));
        System.out.println("  added over direct, paired (percentiles of each round's difference):");
        r.proxied().forEach(p -> row(p.proxy().name() + " - direct", p.added()));
        // The floor for a proxy's CPU at one client on this machine: each request wakes the proxy
        // twice (the client's request, the upstream's answer), whatever the proxy does in between.
        System.out.printf("  CPU per proxied request (each process's CPU time over the %.1f s window / %d requests), ms:%n",
                r.seconds(), r.rounds());
        r.proxied().forEach(p -> System.out.printf("    %-46s %.3f%n", p.proxy().label(), p.cpuMillis()));
        System.out.printf("    (the gateway at its rate at rest: %.3f ms of its figure is background)%n",
                idleCpuPerSecond * r.seconds() / r.rounds());
    }

    private static void row(String what, Stats s) {
        System.out.printf("  %-48s %7.3f  %7.3f  %7.3f%n", what, s.p50(), s.p99(), s.mean());
    }
}
