package com.vlaapi.bench;

import com.vlaapi.bench.fleet.LocalFleet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A flight recording (JFR) of the gateway's CPU samples over one round of load, started and stopped
 * with jcmd so that it holds that round alone: not the start-up, the warm-up or the other sections.
 *
 * <p>It records {@code jdk.ExecutionSample} alone, every {@value #SAMPLE_PERIOD}: JFR's "profile"
 * settings also record allocation samples, locks and socket and file I/O (the last by
 * retransforming JDK classes, which throws away their compiled code), and in a trial on this
 * machine they raised the gateway's CPU per request fourfold over the round, a profile of another
 * program; samples alone cost little.
 */
final class GatewayProfile {

    /**
     * For a gateway to be profiled: without DebugNonSafepoints, a sample in inlined code is
     * charged to the method it was inlined into, which hides most of Reactor's small methods.
     */
    static final Map<String, String> GATEWAY_SETTINGS =
            Map.of("JAVA_TOOL_OPTIONS", "-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints");
    static final String SAMPLE_PERIOD = "2 ms";

    private static final String NAME = "gateway-benchmark";
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
     * Records {@code instance} while {@code round} runs, into {@code file}; returns the round's
     * value. Starting JFR in a running JVM loads and compiles its machinery for seconds, so a first
     * recording over {@code settle}, discarded, takes that out of the one that is kept.
     */
    static double record(LocalFleet fleet, String instance, Path file, CpuShares.Rounds settle, CpuShares.Rounds round)
            throws Exception {
        long pid = fleet.pid(instance);
        Path settings = file.resolveSibling("cpu-samples.jfc");
        Files.writeString(settings, SAMPLES_ONLY);
        jcmd(pid, "Started recording", "JFR.start", "name=" + NAME + "-settle", "settings=" + settings);
        try {
            settle.run();
        } finally {
            jcmd(pid, "Stopped recording", "JFR.stop", "name=" + NAME + "-settle");
        }
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
