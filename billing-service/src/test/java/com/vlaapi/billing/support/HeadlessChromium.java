package com.vlaapi.billing.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's Chromium, headless, opening local pages as a person's browser would. Each run gets a
 * fresh profile and no network extras, is destroyed (with its helper processes) when it overruns
 * its time, and a failure says what Chromium wrote on stderr.
 */
public final class HeadlessChromium {

    private static final long LIMIT_SECONDS = 90;

    private final Path executable;

    private HeadlessChromium(Path executable) {
        this.executable = executable;
    }

    /** The {@code chromium} on the PATH; a test that needs it fails, saying how to install it, without one. */
    public static HeadlessChromium onPath() {
        return Stream.of(System.getenv("PATH").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "chromium"))
                .filter(Files::isExecutable)
                .findFirst()
                .map(HeadlessChromium::new)
                .orElseThrow(() -> new AssertionError("chromium is not installed: run deploy/scripts/chromium.sh "
                        + "(bin/vla test runs it; it installs Debian's chromium package with apt-get)"));
    }

    /** The page's DOM after Chromium loaded and laid it out, serialized. */
    public String dumpDom(Path page) throws IOException, InterruptedException {
        return run("--dump-dom", page.toUri().toString());
    }

    /** A PNG of the page in a window of the given size. */
    public void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        run("--screenshot=" + png, "--window-size=" + width + "," + height, page.toUri().toString());
        if (!Files.isRegularFile(png)) {
            throw new AssertionError("chromium wrote no screenshot at " + png);
        }
    }

    private String run(String... args) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("chromium-");
        try {
            List<String> command = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox",
                    "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--user-data-dir=" + work.resolve("profile")));
            command.addAll(List.of(args));
            // Files, not pipes: a full pipe nobody reads would block Chromium.
            Path out = work.resolve("stdout");
            Path err = work.resolve("stderr");
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError("chromium " + String.join(" ", args) + " did not finish in " + LIMIT_SECONDS
                        + " s; stderr:\n" + Files.readString(err, StandardCharsets.UTF_8));
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("chromium " + String.join(" ", args) + " exited with " + process.exitValue()
                        + "; stderr:\n" + Files.readString(err, StandardCharsets.UTF_8));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
