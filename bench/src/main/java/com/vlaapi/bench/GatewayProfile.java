package com.vlaapi.bench;

import com.vlaapi.bench.fleet.LocalFleet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A flight recording (JFR) of a gateway's CPU samples over one round of load, started and stopped
 * with jcmd so that it holds that round alone.
 *
 * <p>The gateway recorded is one of its own, started with JFR initialised (and recording nothing):
 * a JVM that starts JFR late throws away much of its compiled code. In a trial, the fleet's warm
 * gateway, recorded that way, spent 2.8 ms of CPU per request against 0.57 ms without, and 22% of
 * its samples were in interpreted code: a profile of a JIT warming up again. JFR initialised costs
 * something too, so the benchmark prints this gateway's CPU per request next to the fleet's; the
 * fleet's own gateway, which the other sections measure, never runs JFR.
 *
 * <p>It records {@code jdk.ExecutionSample} alone, every {@value #SAMPLE_PERIOD}: JFR's "profile"
 * settings also record allocation samples, locks and socket and file I/O, each a cost of its own
 * in the profiled process; CPU samples are what the question needs.
 */
final class GatewayProfile {

    static final String SAMPLE_PERIOD = "2 ms";

    private static final String NAME = "gateway-benchmark";
    private static final String NOTHING = String.join("\n",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<configuration version=\"2.0\" label=\"nothing\" description=\"JFR initialised, no event enabled\"/>",
            "");
    private static final String SAMPLES_ONLY = String.join("\n",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<configuration version=\"2.0\" label=\"cpu-samples\" description=\"CPU samples alone (bin/vla bench gateway)\">",
            "  <event name=\"jdk.ExecutionSample\">",
            "    <setting name=\"enabled\">true</setting>",
            "    <setting name=\"period\">" + SAMPLE_PERIOD + "</setting>",
            "  </event>",
            "</configuration>",
            "");

    private GatewayProfile() {
    }

    /**
     * Starts one more gateway, {@code instance}, with the fleet's JVM options, JFR initialised and
     * recording nothing, and DebugNonSafepoints (without it, a sample in inlined code is charged to
     * the method it was inlined into, which hides most of Reactor's small methods); its settings
     * files go to {@code dir}.
     */
    static void startGateway(LocalFleet fleet, String instance, Path dir) throws Exception {
        Path nothing = dir.resolve("jfr-nothing.jfc");
        Files.writeString(nothing, NOTHING);
        fleet.startExtra(instance, "gateway-service", Map.of("JAVA_TOOL_OPTIONS", fleet.jvmOptions("gateway-service")
                + " -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:StartFlightRecording=name=initialised,settings=" + nothing));
    }

    /** Records {@code instance} while {@code round} runs, into {@code file}; returns the round's value. */
    static double record(LocalFleet fleet, String instance, Path file, CpuShares.Rounds round) throws Exception {
        long pid = fleet.pid(instance);
        Path settings = file.resolveSibling("jfr-cpu-samples.jfc");
        Files.writeString(settings, SAMPLES_ONLY);
        jcmd(pid, "Started recording", "JFR.start", "name=" + NAME, "settings=" + settings, "filename=" + file);
        try {
            return round.run();
        } finally {
            jcmd(pid, "Stopped recording", "JFR.stop", "name=" + NAME);
        }
    }

    /** Runs jcmd against the process; it exits 0 even when the command failed, so its answer is checked. */
    private static void jcmd(long pid, String expected, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of("jcmd", String.valueOf(pid)));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
        String printed = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (jcmd.waitFor() != 0 || !printed.contains(expected)) {
            throw new IllegalStateException(String.join(" ", line) + " failed:\n" + printed);
        }
    }
}
