package com.vlaapi.bench;

import com.vlaapi.bench.fleet.LocalFleet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The arguments of an A/B benchmark of one service, {@code NAME=VALUE... [SECONDS_PER_ROUND] [CYCLES]}:
 * the environment B starts with (a {@code VLA_...} setting, {@code JAVA_TOOL_OPTIONS}), and
 * {@code JAR=path} for B to run another build of the service (a commit before a change).
 */
record VariantArguments(Map<String, String> environment, Optional<Path> jar, Duration round, int cycles) {

    static VariantArguments parse(String[] arguments, String example) {
        Map<String, String> environment = new LinkedHashMap<>();
        List<Integer> numbers = new ArrayList<>();
        for (String argument : arguments) {
            int equals = argument.indexOf('=');
            if (equals > 0) {
                environment.put(argument.substring(0, equals), argument.substring(equals + 1));
            } else {
                numbers.add(Integer.parseInt(argument));
            }
        }
        if (environment.isEmpty()) {
            throw new IllegalArgumentException("name what B changes, e.g. " + example);
        }
        Optional<Path> jar = Optional.ofNullable(environment.remove("JAR")).map(path -> Path.of(path).toAbsolutePath());
        return new VariantArguments(environment, jar, Duration.ofSeconds(numbers.size() > 0 ? numbers.get(0) : 10),
                numbers.size() > 1 ? numbers.get(1) : 3);
    }

    /** Starts B, one more instance of {@code service} named {@code instance}, with this environment and build. */
    void startB(LocalFleet fleet, String instance, String service) throws Exception {
        if (jar.isEmpty()) {
            fleet.startExtra(instance, service, environment);
        } else {
            fleet.startExtra(instance, service, environment, jar.get());
        }
    }

    /** What B is, for the report's first line. */
    String describe() {
        return jar.map(path -> "the build " + path + (environment.isEmpty() ? "" : " with " + environment))
                .orElse(environment.toString());
    }
}
