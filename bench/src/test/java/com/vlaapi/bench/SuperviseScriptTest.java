package com.vlaapi.bench;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/scripts/supervise.sh, which `bin/vla up` runs every service under: a service killed with
 * SIGKILL is started again and counted, and SIGTERM (`bin/vla down`) stops the service for good.
 */
class SuperviseScriptTest {


    @Test
    void aKilledServiceIsStartedAgainAndStopMeansStop(@TempDir Path state) throws Exception {
        Path pidFile = state.resolve("service.pid");
        Path restartsFile = state.resolve("service.restarts");
        Process supervisor = new ProcessBuilder(ROOT.resolve("deploy/scripts/supervise.sh").toString(),
                pidFile.toString(), restartsFile.toString(), "sleep", "1000")
                .redirectErrorStream(true).redirectOutput(state.resolve("log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> alive(pidFile));
            long first = pid(pidFile);
            assertEquals("0", Files.readString(restartsFile).trim());

            ProcessHandle.of(first).orElseThrow().destroyForcibly();

            await("started again").atMost(Duration.ofSeconds(30)).until(() -> alive(pidFile) && pid(pidFile) != first);
            assertEquals("1", Files.readString(restartsFile).trim());
            long second = pid(pidFile);
            assertNotEquals(first, second);

            supervisor.destroy();
            assertTrue(supervisor.waitFor(30, TimeUnit.SECONDS), "the supervisor stops on SIGTERM");
            assertEquals(0, supervisor.exitValue());
            await("the service stopped with it").atMost(Duration.ofSeconds(30))
                    .until(() -> ProcessHandle.of(second).map(p -> !p.isAlive()).orElse(true));
            assertEquals("1", Files.readString(restartsFile).trim(), "a stop is not a crash");
            assertFalse(ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false));
        } finally {
            supervisor.destroyForcibly();
            if (Files.exists(pidFile)) {
                ProcessHandle.of(pid(pidFile)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static boolean alive(Path pidFile) throws IOException {
        return Files.exists(pidFile) && !Files.readString(pidFile).isBlank()
                && ProcessHandle.of(pid(pidFile)).map(ProcessHandle::isAlive).orElse(false);
    }

    private static long pid(Path pidFile) throws IOException {
        return Long.parseLong(Files.readString(pidFile).trim());
    }
}
