package com.vlaapi.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One of deploy/scripts/ run as an operator would, with settings of the test's: its exit status and everything it printed. */
public record OperatorScript(int exitStatus, String output) {

    /** The tests' own login settings are not passed on: the scripts administer PostgreSQL over its socket. */
    private static final List<String> NOT_PASSED_ON = List.of("VLA_TEST_DB_ADMIN_URL", "VLA_TEST_DB_ADMIN_USER",
            "VLA_TEST_DB_ADMIN_PASSWORD", "VLA_DB_NAME", "VLA_POSTGRES_PORT", "VLA_BACKUP_DIR");

    public static OperatorScript run(Path root, Map<String, String> settings, String script, String... arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(root.resolve("deploy/scripts").resolve(script).toString()));
        command.addAll(List.of(arguments));
        return run(settings, command);
    }

    /** Any command, in the same environment. */
    public static OperatorScript run(Map<String, String> settings, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        NOT_PASSED_ON.forEach(builder.environment()::remove);
        builder.environment().putAll(settings);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new OperatorScript(process.waitFor(), output);
    }
}
