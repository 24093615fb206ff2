package com.vlaapi.customer.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.testsupport.repo.RepoPaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One of deploy/scripts' operator commands, run as bin/vla runs it, with stdin and environment of the test's choosing. */
public final class OperatorScript {

    public record Run(int exitCode, String stdout, String stderr) {
    }

    private OperatorScript() {
    }

    public static Run run(String script, Map<String, String> environment, String stdin, String... arguments)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", RepoPaths.root().resolve("deploy/scripts/" + script).toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process process = builder.start();
        try (OutputStream input = process.getOutputStream()) {
            input.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(script + " finished").isTrue();
        return new Run(process.exitValue(), read(process.getInputStream()), read(process.getErrorStream()));
    }

    private static String read(InputStream stream) throws IOException {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    }
}
