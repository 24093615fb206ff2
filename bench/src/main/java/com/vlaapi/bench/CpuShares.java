package com.vlaapi.bench;

import com.vlaapi.bench.fleet.LocalFleet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the CPU time of throughput rounds went, per request: some fleet processes by name, other
 * processes a benchmark names ({@link #including}), PostgreSQL (what works for the fleet's
 * database), the load generator (this process, and a child process such as wrk once it has exited)
 * and the whole machine (Linux's /proc/stat). On a shared machine a cost anywhere is throughput
 * lost everywhere.
 */
final class CpuShares {

    interface Rounds {
        double run() throws Exception;
    }

    private static final Pattern CONNECTION_TITLE = Pattern.compile("^postgres: [^:]+: \\S+ (\\S+) (?:\\S+\\(\\d+\\)|\\[local\\])");

    /** CPU time used so far, by name, in the order they print. */
    private final Map<String, Supplier<Duration>> clocks = new LinkedHashMap<>();
    private final Map<String, Double> cpuMillis = new LinkedHashMap<>();
    private final Supplier<Duration> postgres;
    private double postgresMillis;
    private double loadGeneratorMillis;
    private double machineMillis;
    private double requests;
    private double seconds;

    CpuShares(LocalFleet fleet, String... instances) {
        this.postgres = postgresFor(fleet.database);
        for (String instance : instances) {
            including(instance, () -> fleet.cpuTime(instance));
        }
    }

    /** One more process (or group of them) to split the CPU time of, beyond the fleet's instances: a proxy, Redis. */
    CpuShares including(String name, Supplier<Duration> cpuSoFar) {
        clocks.put(name, cpuSoFar);
        cpuMillis.put(name, 0.0);
        return this;
    }

    /**
     * The part of an instance's CPU time its JIT compiler threads took, under {@link #compilerOf}: a
     * JVM still compiling when the rounds start counts the compiling in its CPU per request.
     */
    CpuShares includingCompiler(LocalFleet fleet, String instance) {
        return including(compilerOf(instance), () -> {
            try {
                return fleet.jitCompilerTime(instance);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static String compilerOf(String instance) {
        return instance + " JIT";
    }

    /**
     * The CPU time of every process Linux names {@code name} (its /proc/PID/comm: "postgres",
     * "redis-server"; Debian's redis-server is a link to redis-check-rdb, so the executable's path
     * would not do): backends come and go with connections, the pools keep theirs, so the sum over
     * live ones holds.
     */
    static Supplier<Duration> processesNamed(String name) {
        return () -> Duration.ofNanos(ProcessHandle.allProcesses()
                .filter(p -> name.equals(comm(p)))
                .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum());
    }

    /**
     * PostgreSQL's processes that work for {@code database}: its connections, and the server's own
     * (postmaster, WAL writer, checkpointer), which serve every database. Connections to other
     * databases are left out: on a shared machine other programs open and close them, and a
     * process that ends during a round takes its CPU time out of the sum.
     */
    private static Supplier<Duration> postgresFor(String database) {
        return () -> Duration.ofNanos(ProcessHandle.allProcesses()
                .filter(p -> "postgres".equals(comm(p)))
                .filter(p -> {
                    // A connection's title: "postgres: 15/main: USER DATABASE HOST(PORT) STATE".
                    Matcher connection = CONNECTION_TITLE.matcher(cmdline(p));
                    return !connection.find() || connection.group(1).equals(database);
                })
                .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum());
    }

    private static String cmdline(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(process.pid()), "cmdline")).replace('\0', ' ');
        } catch (IOException gone) {
            return "";
        }
    }

    private static String comm(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(process.pid()), "comm")).trim();
        } catch (IOException gone) {
            return "";
        }
    }

    /** Runs one round of throughput load, adds up its CPU time and returns its requests per second. */
    double measure(Rounds round) throws Exception {
        Map<String, Duration> before = new LinkedHashMap<>();
        clocks.forEach((name, clock) -> before.put(name, clock.get()));
        double machineBefore = machineBusyMillis();
        double postgresBefore = millis(postgres.get());
        double loadGeneratorBefore = loadGeneratorMillis();
        long start = System.nanoTime();
        double perSecond = round.run();
        double elapsed = (System.nanoTime() - start) / 1e9;
        machineMillis += machineBusyMillis() - machineBefore;
        postgresMillis += millis(postgres.get()) - postgresBefore;
        loadGeneratorMillis += loadGeneratorMillis() - loadGeneratorBefore;
        clocks.forEach((name, clock) -> cpuMillis.merge(name, millis(clock.get().minus(before.get(name))), Double::sum));
        requests += perSecond * elapsed;
        seconds += elapsed;
        return perSecond;
    }

    double perSecond() {
        return requests / seconds;
    }

    /** Requests over all rounds measured so far. */
    double requests() {
        return requests;
    }

    /** CPU milliseconds per request of a fleet instance or process named at construction or in {@link #including}. */
    double millisPerRequest(String name) {
        return cpuMillis.get(name) / requests;
    }

    double machineMillisPerRequest() {
        return machineMillis / requests;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        cpuMillis.forEach((instance, millis) -> text.append(String.format("%s %.2f, ", instance, millis / requests)));
        return text.append(String.format("postgres %.2f, load generator %.2f, whole machine %.2f",
                postgresMillis / requests, loadGeneratorMillis / requests, machineMillis / requests)).toString();
    }

    private static double millis(Duration cpu) {
        return cpu.toNanos() / 1e6;
    }

    /**
     * This process's CPU time and that of the children it has waited for (Linux's cutime and
     * cstime): a load generator run as a child process (wrk) counts once it exits, while the fleet's
     * services, children that outlive every round, do not.
     */
    private static double loadGeneratorMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // pid (comm) state ...: the name may hold spaces, the fields after it never do.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = 0;
            for (int field = 11; field <= 14; field++) {   // utime, stime, cutime, cstime
                ticks += Long.parseLong(fields[field]);
            }
            return ticks * 10.0;  // USER_HZ ticks, 100 per second on every Linux
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
