package com.vlaapi.bench.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code deploy/fleet.conf}: the services of the fleet, in start order, where each listens and is
 * checked for health, the settings that connect it to the others, and the JVM options it runs with.
 * {@code bin/vla up} reads the same file.
 */
public record FleetDefinition(List<Service> services) {

    /** {@code {url:billing-service}}, {@code {database}}: what differs between deployments. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z-]+)(?::([a-z0-9-]+))?}");

    /**
     * @param environment settings by variable name, placeholders unresolved
     * @param jvmOptions  options of the service's JVM, heap sizing aside (each deployment sizes the heap)
     */
    public record Service(String name, int port, String healthPath, Map<String, String> environment,
                          List<String> jvmOptions, OptionalInt managementPort) {

        /** Where its actuator, health check included, listens: the management port if it has one. */
        public int healthPort() {
            return managementPort.orElse(port);
        }

        /**
         * The settings with each placeholder replaced; a setting whose placeholder resolves to
         * empty is left out (the service's default applies).
         */
        public Map<String, String> environment(Function<Placeholder, Optional<String>> resolver) {
            Map<String, String> resolved = new LinkedHashMap<>();
            environment.forEach((variable, value) -> resolve(value, resolver).ifPresent(v -> resolved.put(variable, v)));
            return resolved;
        }

        /** {@code VLA_GATEWAY_PORT} for gateway-service: the service's own {@code vla.gateway.port}. */
        public String portVariable() {
            return "VLA_" + name.substring(0, name.indexOf('-')).toUpperCase() + "_PORT";
        }
    }

    /** One {@code {kind:argument}} in a setting's value; argument is empty for {@code {database}}. */
    public record Placeholder(String kind, String argument) {
    }

    public static FleetDefinition read(Path repositoryRoot) {
        Path file = repositoryRoot.resolve("deploy/fleet.conf");
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the fleet definition " + file, e);
        }
        Map<String, Service> services = new LinkedHashMap<>();
        for (String line : lines) {
            String[] fields = line.strip().split("\\s+", 4);
            if (fields[0].isEmpty() || fields[0].startsWith("#")) {
                continue;
            }
            switch (fields[0]) {
                case "service" -> services.put(fields[1], new Service(fields[1], Integer.parseInt(fields[2]), fields[3],
                        new LinkedHashMap<>(), new ArrayList<>(), OptionalInt.empty()));
                case "management" -> {
                    Service service = declared(services, fields[1], file, "a management port", line);
                    services.put(fields[1], new Service(service.name(), service.port(), service.healthPath(),
                            service.environment(), service.jvmOptions(), OptionalInt.of(Integer.parseInt(fields[2]))));
                }
                case "env" -> declared(services, fields[1], file, "settings", line).environment().put(fields[2], fields[3]);
                case "jvm" -> {
                    List<String> words = List.of(line.strip().split("\\s+"));
                    declared(services, fields[1], file, "JVM options", line).jvmOptions().addAll(words.subList(2, words.size()));
                }
                default -> throw new IllegalStateException(file + ": not a service, management, env or jvm line: " + line);
            }
        }
        return new FleetDefinition(List.copyOf(services.values()));
    }

    /** The service a management, env or jvm line names, which its service line must come before. */
    private static Service declared(Map<String, Service> services, String name, Path file, String what, String line) {
        Service service = services.get(name);
        if (service == null) {
            throw new IllegalStateException(file + ": " + what + " for " + name + " before its service line: " + line);
        }
        return service;
    }

    public Service service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a service of the fleet: " + name));
    }

    public List<String> names() {
        return services.stream().map(Service::name).toList();
    }

    /** The placeholders in a value, in order. */
    public static List<Placeholder> placeholders(String value) {
        List<Placeholder> found = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(value);
        while (m.find()) {
            found.add(new Placeholder(m.group(1), m.group(2) == null ? "" : m.group(2)));
        }
        return found;
    }

    private static Optional<String> resolve(String value, Function<Placeholder, Optional<String>> resolver) {
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (m.find()) {
            Optional<String> replacement = resolver.apply(new Placeholder(m.group(1), m.group(2) == null ? "" : m.group(2)));
            if (replacement.isEmpty()) {
                return Optional.empty();
            }
            m.appendReplacement(resolved, Matcher.quoteReplacement(replacement.get()));
        }
        m.appendTail(resolved);
        return Optional.of(resolved.toString());
    }
}
