package com.vlaapi.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's wrk as the load generator of throughput rounds. Its C event loop spends a fraction of
 * the CPU per request that a Java client does, and on two shared cores every millisecond the load
 * generator takes is one the services under test do not get. The Lua script {@code wrk-post.lua}
 * POSTs the benchmark's bodies in turn with a target's headers and counts the answers by status.
 */
final class Wrk implements AutoCloseable {

    /** One event loop keeps 16 connections busy at these rates; a second thread would only take CPU. */
    private static final int THREADS = 1;
    private static final Pattern RESULT = Pattern.compile(
            "vla-wrk requests=(\\d+) duration_us=(\\d+) connect=(\\d+) read=(\\d+) write=(\\d+) timeout=(\\d+) statuses=(\\S*)");

    /** Where a round's requests go, and the headers they carry (which say who sends them). */
    record Target(String name, URI url, Map<String, String> headers) {
    }

    /** @param socketErrors wrk's connect, read, write and timeout errors together */
    record Result(long requests, double seconds, Map<Integer, Long> statuses, long socketErrors) {

        double perSecond() {
            return requests / seconds;
        }

        long count(int status) {
            return statuses.getOrDefault(status, 0L);
        }
    }

    private final Path dir;
    private final Path script;
    private final Path bodies;

    private Wrk(Path dir, Path script, Path bodies) {
        this.dir = dir;
        this.script = script;
        this.bodies = bodies;
    }

    /** The script and the bodies, one per line, in a folder of this process's own. */
    static Wrk prepare(List<byte[]> bodies) throws IOException {
        if (!onPath()) {
            throw new IllegalStateException("wrk is not installed: run deploy/scripts/wrk.sh (bin/vla bench gateway does)");
        }
        Path dir = Files.createTempDirectory("vla-wrk-");
        Path script = dir.resolve("wrk-post.lua");
        try (InputStream lua = Wrk.class.getResourceAsStream("wrk-post.lua")) {
            Files.copy(lua, script);
        }
        StringBuilder lines = new StringBuilder();
        for (byte[] body : bodies) {
            lines.append(new String(body, StandardCharsets.UTF_8)).append('\n');
        }
        Path bodiesFile = dir.resolve("bodies.jsonl");
        Files.writeString(bodiesFile, lines);
        return new Wrk(dir, script, bodiesFile);
    }

    /** {@code connections} connections, each sending its next request as soon as the last is answered, for {@code duration}. */
    Result run(Target target, int connections, Duration duration) throws Exception {
        Path headers = dir.resolve(target.name().replaceAll("[^A-Za-z0-9]+", "-") + ".headers");
        if (!Files.exists(headers)) {
            StringBuilder lines = new StringBuilder();
            target.headers().forEach((name, value) -> lines.append(name).append(": ").append(value).append('\n'));
            // Keys and internal tokens: readable by this user alone.
            Files.createFile(headers, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(headers, lines);
        }
        Path output = dir.resolve("last-round.out");
        Process wrk = new ProcessBuilder("wrk", "-t", String.valueOf(THREADS), "-c", String.valueOf(connections),
                "-d", duration.toSeconds() + "s", "--timeout", "10s", "-s", script.toString(), target.url().toString(),
                "--", bodies.toString(), headers.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!wrk.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS)) {
            wrk.destroyForcibly();
            throw new IllegalStateException("wrk did not finish a " + duration.toSeconds() + " s round against " + target.name());
        }
        String printed = Files.readString(output);
        Matcher m = RESULT.matcher(printed);
        if (wrk.exitValue() != 0 || !m.find()) {
            throw new IllegalStateException("wrk failed against " + target.name() + " (exit " + wrk.exitValue() + "):\n" + printed);
        }
        Map<Integer, Long> statuses = new TreeMap<>();
        for (String pair : m.group(7).split(",")) {
            if (!pair.isEmpty()) {
                String[] statusCount = pair.split("=");
                statuses.put(Integer.parseInt(statusCount[0]), Long.parseLong(statusCount[1]));
            }
        }
        long socketErrors = Long.parseLong(m.group(3)) + Long.parseLong(m.group(4)) + Long.parseLong(m.group(5))
                + Long.parseLong(m.group(6));
        return new Result(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) / 1e6, statuses, socketErrors);
    }

    /** The version line wrk prints, for the report. */
    static String version() throws Exception {
        Process wrk = new ProcessBuilder("wrk", "-v").redirectErrorStream(true).start();
        String printed = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        wrk.waitFor();
        String first = printed.lines().findFirst().orElse("wrk");
        return first.contains(" Copyright") ? first.substring(0, first.indexOf(" Copyright")) : first.trim();
    }

    /** Removes the folder: the headers files hold an API key and an internal token. */
    @Override
    public void close() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    private static boolean onPath() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String folder : path.split(":")) {
            if (!folder.isEmpty() && Files.isExecutable(Path.of(folder, "wrk"))) {
                return true;
            }
        }
        return false;
    }
}
