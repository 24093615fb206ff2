package com.vlaapi.bench;

import com.vlaapi.bench.fleet.LocalFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the CPU time of throughput rounds went, per request: some fleet processes by name,
 * PostgreSQL (all its processes), this process (the load generator) and the whole machine (Linux's
 * /proc/stat). On a shared machine a cost anywhere is throughput lost everywhere.
 */
final class CpuShares {

    interface Rounds {
        double run() throws Exception;
    }

    private final LocalFleet fleet;
    private final List<String> instances;
    private final Map<String, Double> cpuMillis = new LinkedHashMap<>();
    private double postgresMillis;
    private double loadGeneratorMillis;
    private double machineMillis;
    private double requests;
    private double seconds;

    CpuShares(LocalFleet fleet, String... instances) {
        this.fleet = fleet;
        this.instances = List.of(instances);
        this.instances.forEach(i -> cpuMillis.put(i, 0.0));
    }

    /** Runs one round of throughput load, adds up its CPU time and returns its requests per second. */
    double measure(Rounds round) throws Exception {
        Map<String, Duration> before = new LinkedHashMap<>();
        instances.forEach(i -> before.put(i, fleet.cpuTime(i)));
        double machineBefore = machineBusyMillis();
        double postgresBefore = postgresMillis();
        double loadGeneratorBefore = millis(ProcessHandle.current());
        long start = System.nanoTime();
        double perSecond = round.run();
        double elapsed = (System.nanoTime() - start) / 1e9;
        machineMillis += machineBusyMillis() - machineBefore;
        postgresMillis += postgresMillis() - postgresBefore;
        loadGeneratorMillis += millis(ProcessHandle.current()) - loadGeneratorBefore;
        instances.forEach(i -> cpuMillis.merge(i, fleet.cpuTime(i).minus(before.get(i)).toNanos() / 1e6, Double::sum));
        requests += perSecond * elapsed;
        seconds += elapsed;
        return perSecond;
    }

    double perSecond() {
        return requests / seconds;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        cpuMillis.forEach((instance, millis) -> text.append(String.format("%s %.2f, ", instance, millis / requests)));
        return text.append(String.format("postgres %.2f, load generator %.2f, whole machine %.2f",
                postgresMillis / requests, loadGeneratorMillis / requests, machineMillis / requests)).toString();
    }

    /** Backends come and go with connections; the pools keep theirs, so the sum over live ones holds. */
    private static double postgresMillis() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .mapToDouble(CpuShares::millis).sum();
    }

    private static double millis(ProcessHandle process) {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e6).orElse(0.0);
    }

    /** Busy time of all cores since boot: /proc/stat's first line, all but idle and iowait. */
    private static double machineBusyMillis() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < f.length; i++) {
            if (i != 4 && i != 5 && i <= 8) {
                busy += Long.parseLong(f[i]);
            }
        }
        return busy * 10.0;  // USER_HZ ticks, 100 per second on every Linux
    }
}
