package com.vlaapi.bench;

import java.util.ArrayList;
import java.util.List;

/** The goals the gateway benchmark serves, each with what this run measured and whether it holds. */
final class GatewayGoals {

    /** What the gateway may add at p50 and p99 over what a plain proxy adds, ms. */
    private static final double P50_OVER_NGINX_MS = 0.5;
    private static final double P99_OVER_NGINX_MS = 2.0;
    private static final double CPU_PER_PROXIED_MS = 0.3;
    private static final double CPU_PER_REFUSED_MS = 0.1;
    private static final double THROUGHPUT_OF_DIRECT = 0.85;

    private record Goal(String what, String measured, boolean met) {
    }

    private GatewayGoals() {
    }

    static void print(PairedLatency.Result latency, ProxyThroughput.Result throughput, List<RejectionCost.Result> rejected) {
        List<Goal> goals = new ArrayList<>();
        PairedLatency.Proxied gateway = latency.proxy("gateway");
        PairedLatency.Proxied nginx = latency.proxy("nginx");
        goals.add(new Goal(String.format("gateway p50 added <= nginx's + %.1f ms (1 client, paired)", P50_OVER_NGINX_MS),
                String.format("gateway %.3f ms, nginx %.3f ms", gateway.added().p50(), nginx.added().p50()),
                gateway.added().p50() <= nginx.added().p50() + P50_OVER_NGINX_MS));
        goals.add(new Goal(String.format("gateway p99 added <= nginx's + %.1f ms (1 client, paired)", P99_OVER_NGINX_MS),
                String.format("gateway %.3f ms, nginx %.3f ms", gateway.added().p99(), nginx.added().p99()),
                gateway.added().p99() <= nginx.added().p99() + P99_OVER_NGINX_MS));
        // Spring Cloud Gateway alone beside it: at one client what the framework costs by itself.
        goals.add(new Goal(String.format("gateway CPU <= %.1f ms per proxied request, 1 client", CPU_PER_PROXIED_MS),
                String.format("%.3f ms (nginx %.3f, SCG alone %.3f)", gateway.cpuMillis(), nginx.cpuMillis(),
                        latency.proxy("stock").cpuMillis()),
                gateway.cpuMillis() <= CPU_PER_PROXIED_MS));
        double gatewayCpuLoaded = throughput.path("gateway").cpu().millisPerRequest("gateway-service");
        double nginxCpuLoaded = throughput.path("nginx").cpu().millisPerRequest("nginx");
        goals.add(new Goal(String.format("gateway CPU <= %.1f ms per proxied request, 16 connections", CPU_PER_PROXIED_MS),
                String.format("%.3f ms (nginx %.3f)", gatewayCpuLoaded, nginxCpuLoaded), gatewayCpuLoaded <= CPU_PER_PROXIED_MS));
        for (RejectionCost.Result r : rejected) {
            goals.add(new Goal(String.format("gateway CPU <= %.1f ms per %s", CPU_PER_REFUSED_MS, r.kind().what()),
                    String.format("%.4f ms", r.gatewayCpuMillis()), r.gatewayCpuMillis() <= CPU_PER_REFUSED_MS));
        }
        double ratio = throughput.ratio("gateway");
        goals.add(new Goal(String.format("throughput through the gateway >= %.0f%% of direct, 16 connections", 100 * THROUGHPUT_OF_DIRECT),
                String.format("%.1f%%", 100 * ratio), ratio >= THROUGHPUT_OF_DIRECT));

        System.out.println("\ngoals");
        for (Goal g : goals) {
            System.out.printf("  %-82s %-40s %s%n", g.what(), g.measured(), g.met() ? "met" : "NOT MET");
        }
    }
}
