package com.vlaapi.bench;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.bench.fleet.FleetDefinition;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each service's image ({@code <service>/Dockerfile}), read as Docker would build it (Docker
 * cannot run here): Maven builds that module in a build stage, the runtime stage copies a jar this
 * very build produced (the reactor ran the same {@code package} goal before this test), runs as an
 * unprivileged user, exposes the service's port, checks the health endpoint deploy/fleet.conf
 * names and runs java with the JVM options it gives the service. {@code .dockerignore} keeps local
 * state and secrets out of every image.
 */
class DockerImagesTest {

    private static final Pattern COPIED_JAR = Pattern.compile("COPY --from=build \\S+ /src/(\\S+\\.jar) ");

    private final FleetDefinition definition = FleetDefinition.read(ROOT);

    @Test
    void eachServiceImageBuildsItsModuleAndRunsItUnprivilegedWithAHealthCheck() throws IOException {
        for (FleetDefinition.Service service : definition.services()) {
            String name = service.name();
            List<String> lines = Files.readAllLines(ROOT.resolve(name).resolve("Dockerfile"));
            List<String> stages = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
            assertEquals(2, stages.size(), name + ": a build stage and a runtime stage: " + stages);
            assertTrue(stages.get(0).endsWith(" AS build"), name + ": " + stages.get(0));
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("RUN mvn ") && l.contains(" -pl " + name + " -am ")
                    && l.endsWith(" package")), name + " builds its own module with what it depends on");
            String runtime = String.join("\n", lines.subList(lines.indexOf(stages.get(1)), lines.size()));
            assertTrue(runtime.contains("\nUSER vla\n"), name + " runs as the unprivileged user vla");
            assertTrue(runtime.contains("\nEXPOSE " + service.port() + "\n"), name + " exposes port " + service.port());
            assertTrue(runtime.contains("http://127.0.0.1:" + service.healthPort() + service.healthPath()),
                    name + "'s HEALTHCHECK calls " + service.healthPath() + " on port " + service.healthPort());
            String entrypoint = lines.stream().filter(l -> l.startsWith("ENTRYPOINT [\"java\", ")).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " runs its jar with java"));
            for (String option : service.jvmOptions()) {
                assertTrue(entrypoint.contains("\"" + option + "\""),
                        name + " runs java with " + option + ", as its jvm line in deploy/fleet.conf says: " + entrypoint);
            }
            Matcher jar = COPIED_JAR.matcher(runtime);
            assertTrue(jar.find(), name + " copies its jar from the build stage");
            assertTrue(builtFileMatches(jar.group(1)), name + ": the build stage's Maven target produces no "
                    + jar.group(1) + " (mvn package of " + name + ")");
        }
    }

    @Test
    void noLocalStateOrSecretEntersAnImage() throws IOException {
        List<String> ignored = Files.readAllLines(ROOT.resolve(".dockerignore"));
        for (String pattern : List.of(".git", "**/target", ".vla", ".env", "*.env", "*.pem", "*.key")) {
            assertTrue(ignored.contains(pattern), ".dockerignore must exclude " + pattern);
        }
        assertTrue(ignored.contains("!.env.example"), "the example settings file is no secret");
    }

    private static boolean builtFileMatches(String glob) throws IOException {
        Path file = ROOT.resolve(glob);
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + file);
        try (Stream<Path> files = Files.list(file.getParent())) {
            return files.anyMatch(matcher::matches);
        }
    }
}
