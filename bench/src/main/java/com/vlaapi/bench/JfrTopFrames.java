package com.vlaapi.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a flight recording's CPU samples ({@code jdk.ExecutionSample}: a thread caught running
 * Java code) were: the methods with the most self samples, and the share of samples per library,
 * by the top frame's class and, since a JDK method at the top (a HashMap lookup, a byte copy) says
 * little about who needed it, also by the first frame outside the JDK.
 */
final class JfrTopFrames {

    private static final int TOP_METHODS = 30;

    /** A library's packages, by the prefix of their class names; the first match wins. */
    private record Bucket(String name, List<String> prefixes) {
    }

    private static final List<Bucket> BUCKETS = List.of(
            new Bucket("netty (io.netty)", List.of("io.netty.")),
            new Bucket("reactor (core, reactor-netty)", List.of("reactor.")),
            new Bucket("spring cloud gateway", List.of("org.springframework.cloud.gateway.")),
            new Bucket("spring web (web, http)", List.of("org.springframework.web.", "org.springframework.http.")),
            new Bucket("spring other", List.of("org.springframework.")),
            new Bucket("lettuce (Redis client)", List.of("io.lettuce.")),
            new Bucket("micrometer", List.of("io.micrometer.")),
            new Bucket("jackson", List.of("tools.jackson.", "com.fasterxml.jackson.")),
            new Bucket("the gateway's own (com.vlaapi)", List.of("com.vlaapi.")),
            new Bucket("jdk", List.of("java.", "javax.", "jdk.", "sun.", "com.sun.")));
    private static final String OTHER = "other";

    private final Map<String, Long> selfSamples = new LinkedHashMap<>();
    private final Map<String, Long> byTopFrame = new LinkedHashMap<>();
    private final Map<String, Long> byFirstNonJdkFrame = new LinkedHashMap<>();
    private final Map<String, Long> byThreadGroup = new LinkedHashMap<>();
    /** Interpreted, JIT compiled, Inlined: a warm JVM runs almost nothing interpreted, so this says whether it was warm. */
    private final Map<String, Long> byTopFrameType = new LinkedHashMap<>();
    private long samples;

    private JfrTopFrames() {
    }

    static JfrTopFrames read(Path recording) throws Exception {
        JfrTopFrames summary = new JfrTopFrames();
        for (Bucket b : BUCKETS) {
            summary.byTopFrame.put(b.name(), 0L);
            summary.byFirstNonJdkFrame.put(b.name(), 0L);
        }
        summary.byTopFrame.put(OTHER, 0L);
        summary.byFirstNonJdkFrame.put(OTHER, 0L);
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (event.getEventType().getName().equals("jdk.ExecutionSample")) {
                    summary.add(event.getStackTrace(), event.getThread("sampledThread"));
                }
            }
        }
        return summary;
    }

    private void add(RecordedStackTrace stack, RecordedThread thread) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return;
        }
        samples++;
        // reactor-http-epoll-1 and -2 are one pool: the numbers go.
        String threadName = thread == null || thread.getJavaName() == null ? "?" : thread.getJavaName();
        byThreadGroup.merge(threadName.replaceAll("[-#]?\\d+", ""), 1L, Long::sum);
        RecordedFrame top = stack.getFrames().get(0);
        byTopFrameType.merge(top.getType(), 1L, Long::sum);
        String topClass = top.getMethod().getType().getName();
        // A lambda's class is named anew in every JVM (Foo$$Lambda$1680+0x...): its enclosing class says where it is.
        selfSamples.merge(topClass.replaceAll("\\$\\$Lambda.*", "\\$\\$Lambda") + "." + top.getMethod().getName(), 1L,
                Long::sum);
        byTopFrame.merge(bucketOf(topClass), 1L, Long::sum);
        String caller = topClass;
        for (RecordedFrame frame : stack.getFrames()) {
            String name = frame.getMethod().getType().getName();
            if (!bucketOf(name).equals("jdk")) {
                caller = name;
                break;
            }
        }
        byFirstNonJdkFrame.merge(bucketOf(caller), 1L, Long::sum);
    }

    private static String bucketOf(String className) {
        for (Bucket b : BUCKETS) {
            for (String prefix : b.prefixes()) {
                if (className.startsWith(prefix)) {
                    return b.name();
                }
            }
        }
        return OTHER;
    }

    void print() {
        System.out.printf("  %d execution samples (threads caught running Java code; time in the kernel and in native code,"
                + " socket I/O and epoll among it, is not sampled)%n", samples);
        StringBuilder types = new StringBuilder("  top frames:");
        largestFirst(byTopFrameType).forEach(t -> types.append(String.format(" %s %.1f%%,", t.getKey(), percent(t.getValue()))));
        System.out.println(types.substring(0, types.length() - 1) + " (a warm JVM runs almost nothing interpreted)");
        System.out.println("  share of samples by library        top frame   first frame outside the JDK");
        for (String bucket : byTopFrame.keySet()) {
            System.out.printf("    %-32s %6.1f%%     %6.1f%%%n", bucket, percent(byTopFrame.get(bucket)),
                    percent(byFirstNonJdkFrame.get(bucket)));
        }
        System.out.println("  share of samples by thread (pools as one: their numbers left out)");
        for (Map.Entry<String, Long> t : largestFirst(byThreadGroup)) {
            System.out.printf("    %-32s %6.1f%%%n", t.getKey(), percent(t.getValue()));
        }
        System.out.printf("  top %d methods by self samples (the method running when sampled)%n", TOP_METHODS);
        List<Map.Entry<String, Long>> methods = largestFirst(selfSamples);
        for (Map.Entry<String, Long> m : methods.subList(0, Math.min(TOP_METHODS, methods.size()))) {
            System.out.printf("    %5d  %5.1f%%  %s%n", m.getValue(), percent(m.getValue()), m.getKey());
        }
    }

    private static List<Map.Entry<String, Long>> largestFirst(Map<String, Long> counts) {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        return entries;
    }

    private double percent(long count) {
        return samples == 0 ? 0 : 100.0 * count / samples;
    }
}
