package com.vlaapi.bench;

import com.vlaapi.bench.fleet.LocalFleet;
import com.vlaapi.bench.load.Call;
import com.vlaapi.bench.load.Load;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a proxy adds to one client's request, paired: requests go direct, through nginx, through the
 * gateway, in triples whose order rotates (Load.alternating), so that each triple meets one moment
 * of the machine. Each triple gives nginx - direct and gateway - direct; the percentiles are those
 * of these differences, which a difference of two paths' percentiles is not (the slowest direct
 * requests and the slowest gateway requests are not the same moments).
 */
final class PairedLatency {

    /**
     * Latencies in ms; {@code gatewayCpuMillis} and {@code nginxCpuMillis}: each proxy's CPU per request it proxied in the
     * window (each proxied one request of every triple).
     */
    record Result(Stats direct, Stats nginx, Stats gateway, Stats nginxAdded, Stats gatewayAdded, double gatewayCpuMillis,
                  double nginxCpuMillis, int triples, double seconds) {
    }

    private PairedLatency() {
    }

    static Result measure(LocalFleet fleet, Supplier<Duration> nginxCpuTime, Call direct, Call nginx, Call gateway, int triples)
            throws Exception {
        long cpuBefore = fleet.cpuTime("gateway-service").toNanos();
        long nginxCpuBefore = nginxCpuTime.get().toNanos();
        long start = System.nanoTime();
        double[][] millis = Load.alternating(List.of(direct, nginx, gateway), 1, triples);
        double seconds = (System.nanoTime() - start) / 1e9;
        double gatewayCpu = (fleet.cpuTime("gateway-service").toNanos() - cpuBefore) / 1e6 / triples;
        double nginxCpu = (nginxCpuTime.get().toNanos() - nginxCpuBefore) / 1e6 / triples;
        double[] nginxAdded = new double[triples];
        double[] gatewayAdded = new double[triples];
        for (int i = 0; i < triples; i++) {
            nginxAdded[i] = millis[1][i] - millis[0][i];
            gatewayAdded[i] = millis[2][i] - millis[0][i];
        }
        return new Result(Stats.of(millis[0]), Stats.of(millis[1]), Stats.of(millis[2]), Stats.of(nginxAdded),
                Stats.of(gatewayAdded), gatewayCpu, nginxCpu, triples, seconds);
    }

    /** @param idleCpuPerSecond the gateway's CPU milliseconds per second at rest, to say how much of its per-request CPU that is */
    static void print(Result r, double idleCpuPerSecond) {
        System.out.printf("%nlatency at 1 client, %d triples (direct, nginx, gateway; the order rotates each triple), ms%n",
                r.triples());
        System.out.println("                                          p50      p99     mean");
        row("direct: inference-service itself", r.direct());
        row("through nginx (plain reverse proxy)", r.nginx());
        row("through the gateway (limits on)", r.gateway());
        System.out.println("  added over direct, paired (percentiles of each triple's difference):");
        row("nginx - direct", r.nginxAdded());
        row("gateway - direct", r.gatewayAdded());
        System.out.printf("  gateway process CPU: %.3f ms per proxied request (its CPU time over the %.1f s window / %d requests;"
                + " at its rate at rest, %.3f ms of that is background)%n",
                r.gatewayCpuMillis(), r.seconds(), r.triples(), idleCpuPerSecond * r.seconds() / r.triples());
        // The floor for a proxy's CPU at one client on this machine: each request wakes the proxy
        // twice (the client's request, the upstream's answer), whatever the proxy does in between.
        System.out.printf("  nginx process CPU:   %.3f ms per proxied request (master and worker, the same window)%n",
                r.nginxCpuMillis());
    }

    private static void row(String what, Stats s) {
        System.out.printf("  %-38s %7.3f  %7.3f  %7.3f%n", what, s.p50(), s.p99(), s.mean());
    }
}
