package com.vlaapi.bench;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.vlaapi.bench.fleet.FleetDefinition;
import com.vlaapi.bench.fleet.FleetDefinition.Placeholder;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml runs the fleet deploy/fleet.conf defines: the same services (and variants of
 * them, such as inference-service on CPUs), listening and checked for health where the definition
 * says, each given every setting the definition gives it, with values that point at the compose
 * services. Settings compose adds for containers (the listen address, database credentials) are
 * allowed. Each server tier is a profile, only the load balancer is published to the outside, and
 * .env.example lists every variable.
 */
class FleetDefinitionTest {

    /** {@code ${VLA_X:-default}} (overridable, with a default) or {@code ${VLA_X:?message}} (required). */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::-(.*)|:\\?(.*))}");

    /** Where compose publishes what only the fleet's own hosts may reach. */
    private static final String PRIVATE = "${VLA_PRIVATE_ADDRESS:-127.0.0.1}";
    /** The one service the public reaches: the load balancer. */
    private static final String EDGE = "nginx";
    /** Each server tier's profile and what it runs; {@code all} is every tier but gpu, on one CPU host. */
    private static final Map<String, Set<String>> TIERS = Map.of(
            "database", Set.of("postgres"),
            "cache", Set.of("redis"),
            "api", Set.of("gateway-service", "customer-service", "billing-service"),
            "gpu", Set.of("inference-service", "dcgm-exporter"),
            "cpu", Set.of("inference-service-cpu"),
            "lb", Set.of("nginx"),
            "monitoring", Set.of("prometheus", "alertmanager", "grafana"),
            "storage", Set.of("minio", "minio-buckets"));

    private final FleetDefinition definition = FleetDefinition.read(ROOT);
    private final Map<String, Map<String, Object>> composeServices = composeServices();

    @Test
    void composeRunsExactlyTheDefinedServicesFromTheirOwnImages() {
        List<String> built = composeServices.entrySet().stream()
                .filter(e -> e.getValue().containsKey("build")).map(Map.Entry::getKey).sorted().toList();
        List<String> expected = new ArrayList<>(definition.names());
        expected.add("inference-service-cpu");
        assertEquals(expected.stream().sorted().toList(), built, "services docker-compose.yml builds");
        for (String name : built) {
            Map<String, Object> build = map(composeServices.get(name).get("build"), name + ".build");
            assertEquals(definedServiceOf(name) + "/Dockerfile", build.get("dockerfile"), name + " builds its service's own image");
        }
    }

    @Test
    void composeListensAndChecksHealthWhereTheDefinitionSays() {
        for (String name : builtServices()) {
            FleetDefinition.Service service = definition.service(definedServiceOf(name));
            Map<String, Object> compose = composeServices.get(name);
            Map<String, Object> env = environment(name);
            String address = service.portVariable().replace("_PORT", "_ADDRESS");
            assertEquals("0.0.0.0", env.get(address), name + " must listen beyond its container's loopback");
            String port = String.valueOf(service.port());
            assertEquals(port, String.valueOf(env.getOrDefault(service.portVariable(), port)), name + "'s port");
            Set<String> allowed = new TreeSet<>(Set.of(PRIVATE + ":" + port + ":" + port));
            service.managementPort().ifPresent(m -> allowed.add(PRIVATE + ":" + m + ":" + m));
            for (Object mapping : (List<?>) compose.getOrDefault("ports", List.of())) {
                assertTrue(allowed.contains(String.valueOf(mapping)), name + " publishes " + mapping + "; allowed: " + allowed);
            }
            Map<String, Object> healthcheck = map(compose.get("healthcheck"), name + ".healthcheck");
            int healthPort = service.healthPort();
            assertTrue(String.valueOf(healthcheck.get("test")).contains("http://127.0.0.1:" + healthPort + service.healthPath()),
                    name + "'s health check " + healthcheck.get("test") + " must call " + service.healthPath()
                            + " on port " + healthPort);
        }
    }

    @Test
    void composeGivesEachServiceTheDefinedSettings() {
        List<String> problems = new ArrayList<>();
        for (String name : builtServices()) {
            Map<String, Object> env = environment(name);
            definition.service(definedServiceOf(name)).environment().forEach((variable, defined) -> {
                Object value = env.get(variable);
                if (value == null) {
                    problems.add(name + " lacks " + variable + " (deploy/fleet.conf: " + defined + ")");
                    return;
                }
                String problem = mismatch(String.valueOf(value), defined);
                if (problem != null) {
                    problems.add(name + " " + variable + "=" + value + ": " + problem);
                }
            });
        }
        assertEquals(List.of(), problems);
    }

    /** docs/configuration.md's defaults are the code's (ConfigurationDocsTest checks that). */
    @Test
    void eachDefinedPortIsTheServicesOwnDefault() throws IOException {
        String docs = Files.readString(ROOT.resolve("docs/configuration.md"));
        for (FleetDefinition.Service service : definition.services()) {
            assertTrue(docs.contains("| `" + service.portVariable() + "` | `" + service.port() + "` |"),
                    service.name() + ": deploy/fleet.conf says port " + service.port()
                            + ", docs/configuration.md has another default for " + service.portVariable());
        }
    }

    @Test
    void theComposeServicesSettingsPointAtExist() throws IOException {
        assertNotNull(composeServices.get("postgres"), "{database} points at the postgres service");
        assertNotNull(composeServices.get("redis"), "{redis-host} points at the redis service");
        assertTrue(Files.readString(ROOT.resolve("inference-service/Dockerfile"))
                        .contains("reference-policy/bundles " + composeValue(new Placeholder("models", ""))),
                "the image holds the model bundles where {models} says");
    }

    /** Why a compose value does not carry the definition's value, or null when it does. */
    private String mismatch(String value, String defined) {
        List<Placeholder> placeholders = FleetDefinition.placeholders(defined);
        Matcher variable = VARIABLE.matcher(value);
        boolean required = variable.matches() && variable.group(3) != null;
        if (placeholders.size() == 1 && placeholders.get(0).kind().equals("secret")) {
            return required ? null : "a secret must be required from the operator (${VARIABLE:?message}), never defaulted";
        }
        if (required) {
            return "only secrets are required from the operator; this needs the default " + defined;
        }
        String effective = variable.matches() ? variable.group(2) : value;
        StringBuilder expected = new StringBuilder(defined);
        for (Placeholder placeholder : placeholders) {
            String text = "{" + placeholder.kind() + (placeholder.argument().isEmpty() ? "" : ":" + placeholder.argument()) + "}";
            int at = expected.indexOf(text);
            expected.replace(at, at + text.length(), composeValue(placeholder));
        }
        return effective.equals(expected.toString()) ? null : "expected " + expected + " (deploy/fleet.conf: " + defined + ")";
    }

    /** What a placeholder of deploy/fleet.conf is in docker-compose.yml's network. */
    private String composeValue(Placeholder placeholder) {
        return switch (placeholder.kind()) {
            case "url" -> "http://" + placeholder.argument() + ":" + definition.service(placeholder.argument()).port();
            case "database" -> "jdbc:postgresql://postgres:5432/vlaapi";
            case "redis-host" -> "redis";
            case "models" -> "/app/reference-policy/bundles";
            case "state" -> "/app/state";
            default -> fail("no compose value for " + placeholder);
        };
    }

    @Test
    void onlyTheLoadBalancerIsPublishedToEveryInterfaceAndRedisRequiresAPasswordAndPersists() {
        composeServices.forEach((name, service) -> {
            for (Object mapping : (List<?>) service.getOrDefault("ports", List.of())) {
                assertTrue(name.equals(EDGE) || String.valueOf(mapping).startsWith(PRIVATE + ":"),
                        name + " publishes " + mapping + " beyond " + PRIVATE + "; only " + EDGE + " may");
            }
        });
        assertTrue(((List<?>) composeServices.get(EDGE).get("ports")).stream().anyMatch(p -> String.valueOf(p).endsWith(":443")),
                EDGE + " serves HTTPS on 443");
        List<?> redis = (List<?>) composeServices.get("redis").get("command");
        int requirepass = redis.indexOf("--requirepass");
        assertTrue(requirepass >= 0, "Redis must require a password: " + redis);
        assertTrue(String.valueOf(redis.get(requirepass + 1)).startsWith("${VLA_REDIS_PASSWORD:?"),
                "the password is the operator's, never defaulted: " + redis);
        assertEquals("yes", redis.get(redis.indexOf("--appendonly") + 1), "Redis persists its counters: " + redis);
        assertTrue(String.valueOf(composeServices.get("redis").get("volumes")).contains(":/data"), "on a volume");
        for (FleetDefinition.Service service : definition.services()) {
            if (service.environment().containsKey("VLA_REDIS_HOST")) {
                assertTrue(String.valueOf(environment(service.name()).get("VLA_REDIS_PASSWORD")).startsWith("${VLA_REDIS_PASSWORD:?"),
                        service.name() + " uses Redis and must be given its password");
            }
        }
    }

    @Test
    void eachServerTierIsAProfileAndAllRunsEveryTierButTheGpusOnOneHost() {
        Map<String, Set<String>> profiles = new TreeMap<>();
        composeServices.forEach((name, service) -> {
            for (Object profile : (List<?>) service.getOrDefault("profiles", List.of())) {
                profiles.computeIfAbsent(String.valueOf(profile), p -> new TreeSet<>()).add(name);
            }
        });
        Set<String> everyTierButGpu = new TreeSet<>();
        TIERS.forEach((tier, services) -> {
            assertEquals(new TreeSet<>(services), profiles.get(tier), "profile " + tier);
            if (!tier.equals("gpu")) {
                everyTierButGpu.addAll(services);
            }
        });
        assertEquals(everyTierButGpu, profiles.get("all"), "profile all");
        Set<String> tiers = new TreeSet<>(profiles.keySet());
        tiers.remove("all");
        assertEquals(new TreeSet<>(TIERS.keySet()), tiers, "no other profiles");
    }

    /** Every ${VARIABLE} compose reads is in .env.example; the required ones (secrets) to be filled in. */
    @Test
    void envExampleListsEveryVariableAndLeavesSecretsToBeFilledIn() throws IOException {
        List<String> example = Files.readAllLines(ROOT.resolve(".env.example"));
        Matcher variables = Pattern.compile("\\$\\{(\\w+)(:\\?)?").matcher(String.join("\n",
                Files.readAllLines(ROOT.resolve("docker-compose.yml")).stream().filter(l -> !l.strip().startsWith("#")).toList()));
        Set<String> seen = new TreeSet<>();
        while (variables.find()) {
            String variable = variables.group(1);
            boolean required = variables.group(2) != null;
            if (seen.add(variable + required)) {
                assertTrue(example.contains(variable + "=") || (!required && example.stream().anyMatch(l -> l.startsWith("#" + variable + "="))),
                        ".env.example must list " + variable + (required ? "= (a secret, to fill in)" : " (commented, with its default)"));
            }
        }
    }

    /** The services compose builds: those deploy/fleet.conf defines and variants of them. */
    private List<String> builtServices() {
        return composeServices.entrySet().stream().filter(e -> e.getValue().containsKey("build")).map(Map.Entry::getKey).toList();
    }

    /** {@code inference-service-cpu} is a variant of {@code inference-service}. */
    private String definedServiceOf(String composeName) {
        return definition.names().stream().filter(n -> composeName.equals(n) || composeName.startsWith(n + "-"))
                .findFirst().orElseThrow(() -> new AssertionError(composeName + " is no service of deploy/fleet.conf"));
    }

    private Map<String, Object> environment(String service) {
        return map(composeServices.get(service).get("environment"), service + ".environment");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> composeServices() {
        try {
            Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
            return (Map<String, Map<String, Object>>) compose.get("services");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read docker-compose.yml", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String what) {
        assertNotNull(value, "docker-compose.yml has no " + what);
        return (Map<String, Object>) value;
    }
}
