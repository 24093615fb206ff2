package com.vlaapi.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Requests per second at a fixed number of connections (wrk), one round per path in each cycle,
 * the order rotating from cycle to cycle so that drift on the shared machine favours no path; the
 * first path is the one the others are compared with. Each round's CPU is split by CpuShares.
 */
final class ProxyThroughput {

    /** A path of the comparison and the processes whose CPU to split over its requests. */
    record Path(String name, Wrk.Target target, CpuShares cpu) {
    }

    /** @param perSecond requests per second, by cycle and path */
    record Result(List<Path> paths, double[][] perSecond) {

        /** Over all rounds: the path's requests per second over the first path's. */
        double ratio(int path) {
            return paths.get(path).cpu().perSecond() / paths.get(0).cpu().perSecond();
        }

        double ratio(String path) {
            return ratio(indexOf(path));
        }

        Path path(String name) {
            return paths.get(indexOf(name));
        }

        private int indexOf(String name) {
            for (int p = 0; p < paths.size(); p++) {
                if (paths.get(p).name().equals(name)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("no path " + name + " in this comparison");
        }

        double[] ratioByCycle(int path) {
            double[] ratios = new double[perSecond.length];
            for (int c = 0; c < perSecond.length; c++) {
                ratios[c] = perSecond[c][path] / perSecond[c][0];
            }
            Arrays.sort(ratios);
            return ratios;
        }
    }

    private ProxyThroughput() {
    }

    static Result measure(Wrk wrk, List<Path> paths, int connections, Duration round, int cycles) throws Exception {
        double[][] perSecond = new double[cycles][paths.size()];
        for (int cycle = 0; cycle < cycles; cycle++) {
            for (int k = 0; k < paths.size(); k++) {
                int p = (k + cycle) % paths.size();
                Path path = paths.get(p);
                perSecond[cycle][p] = path.cpu().measure(() -> allAnswered(wrk.run(path.target(), connections, round), path.name()));
            }
        }
        return new Result(paths, perSecond);
    }

    /** A round counts only if every request got a 200: anything else would be throughput of something else. */
    static double allAnswered(Wrk.Result round, String path) {
        if (round.count(200) != round.requests() || round.socketErrors() > 0) {
            throw new IllegalStateException("a round through " + path + " got " + round.statuses() + " and "
                    + round.socketErrors() + " socket errors in " + round.requests() + " requests; see the services' logs");
        }
        return round.perSecond();
    }

    static void print(Result r, int connections, Duration round) {
        int cycles = r.perSecond().length;
        System.out.printf("%nthroughput at %d connections (wrk), %d cycles of one %d s round per path, the order rotating%n",
                connections, cycles, round.toSeconds());
        for (int p = 0; p < r.paths().size(); p++) {
            Path path = r.paths().get(p);
            System.out.printf("  %-8s %7.1f requests/s (%.0f requests)", path.name(), path.cpu().perSecond(), path.cpu().requests());
            if (p > 0) {
                double[] byCycle = r.ratioByCycle(p);
                System.out.printf("   %s / %s %.3f (cycle by cycle: median %.3f, from %.3f to %.3f)", path.name(),
                        r.paths().get(0).name(), r.ratio(p), median(byCycle), byCycle[0], byCycle[byCycle.length - 1]);
            }
            System.out.println();
        }
        for (int c = 0; c < cycles; c++) {
            StringBuilder line = new StringBuilder(String.format("    cycle %d, requests/s:", c + 1));
            for (int p = 0; p < r.paths().size(); p++) {
                line.append(String.format("  %s %.1f", r.paths().get(p).name(), r.perSecond()[c][p]));
            }
            System.out.println(line);
        }
        System.out.println("  CPU ms per request in these rounds (each process's CPU time over the rounds / their requests):");
        for (Path path : r.paths()) {
            System.out.printf("    %-8s %s%n", path.name(), path.cpu());
        }
    }

    static double median(double[] sorted) {
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
