package com.vlaapi.bench;

import com.vlaapi.bench.fleet.LocalFleet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the gateway spends to turn a request away: rounds of requests it refuses (wrk at a fixed
 * number of connections), one kind after another, the order rotating from cycle to cycle; the
 * gateway process's CPU time over a kind's rounds divided by the requests it refused. The gateway
 * reads a refused request's body to its end and keeps the connection (UnreadBody), so wrk sends
 * its next request on it, as a client retrying after a 429 or with its key fixed does.
 */
final class RejectionCost {

    /**
     * A kind of refused request: the gateway instance that refuses it, where it goes, with what
     * headers, and the status every answer must have. {@code allowedThrough}: answers of 200 that
     * the kind may get (the one request a minute that a burst limit of 1 lets through), which are
     * not refusals.
     */
    record Kind(String what, String gateway, Wrk.Target target, int status, boolean allowedThrough) {
    }

    /** @param gatewayCpuMillis the gateway's CPU per refused request; {@code redisMillis}, Redis's */
    record Result(Kind kind, long refused, double perSecond, double gatewayCpuMillis, double redisMillis, double machineMillis,
                  Map<Integer, Long> statuses) {
    }

    private RejectionCost() {
    }

    static List<Result> measure(LocalFleet fleet, Wrk wrk, List<Kind> kinds, int connections, Duration round, int cycles)
            throws Exception {
        List<CpuShares> cpu = new ArrayList<>();
        List<Map<Integer, Long>> statuses = new ArrayList<>();
        for (int k = 0; k < kinds.size(); k++) {
            // Redis answers the burst-limit check of a 429; a 401 never reaches it.
            cpu.add(new CpuShares(fleet, kinds.get(k).gateway()).including("redis", CpuShares.processesNamed("redis-server")));
            statuses.add(new TreeMap<>());
        }
        for (int cycle = 0; cycle < cycles; cycle++) {
            for (int i = 0; i < kinds.size(); i++) {
                int k = (i + cycle) % kinds.size();
                Kind kind = kinds.get(k);
                Map<Integer, Long> counted = statuses.get(k);
                cpu.get(k).measure(() -> {
                    Wrk.Result result = wrk.run(kind.target(), connections, round);
                    result.statuses().forEach((status, n) -> counted.merge(status, n, Long::sum));
                    if (result.socketErrors() > 0) {
                        counted.merge(-1, result.socketErrors(), Long::sum);
                    }
                    return result.perSecond();
                });
            }
        }
        List<Result> results = new ArrayList<>();
        for (int k = 0; k < kinds.size(); k++) {
            Kind kind = kinds.get(k);
            Map<Integer, Long> counted = statuses.get(k);
            long refused = counted.getOrDefault(kind.status(), 0L);
            long allowed = kind.allowedThrough() ? counted.getOrDefault(200, 0L) : 0;
            long all = counted.values().stream().mapToLong(Long::longValue).sum();
            if (refused + allowed != all) {
                throw new IllegalStateException("'" + kind.what() + "' was meant to get " + kind.status() + " every time, got "
                        + counted + " (-1: socket errors); the rounds measured something else");
            }
            CpuShares shares = cpu.get(k);
            results.add(new Result(kind, refused, shares.perSecond(), shares.millisPerRequest(kind.gateway()),
                    shares.millisPerRequest("redis"), shares.machineMillisPerRequest(), counted));
        }
        return results;
    }

    static void print(List<Result> results, int connections, Duration round, int cycles) {
        System.out.printf("%nrefused requests at %d connections (wrk): %d rounds of %d s per kind, kinds alternating%n",
                connections, cycles, round.toSeconds());
        System.out.println("  (a refusal whose body was read keeps its connection, which wrk reuses as a retrying client would)");
        System.out.println("  gateway          kind                                           requests   requests/s   CPU ms per request:               answers");
        System.out.println("                                                                                          gateway    Redis  whole machine");
        for (Result r : results) {
            System.out.printf("  %-16s %-44s %9d   %10.0f   %7.4f  %7.4f  %13.4f   %s%n", r.kind().gateway(), r.kind().what(), r.refused(),
                    r.perSecond(),
                    r.gatewayCpuMillis(), r.redisMillis(), r.machineMillis(), r.statuses());
        }
    }
}
