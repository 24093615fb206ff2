package com.vlaapi.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.vlaapi.bench.fleet.FleetDefinition;
import com.vlaapi.bench.fleet.FleetDefinition.Placeholder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml runs the fleet deploy/fleet.conf defines: the same services, listening and
 * checked for health where the definition says, each given every setting the definition gives
 * it, with values that point at the compose services. Settings compose adds for containers (the
 * listen address, database credentials) are allowed.
 */
class FleetDefinitionTest {

    private static final Path ROOT = Path.of(System.getProperty("vla.repo.root", "..")).toAbsolutePath().normalize();
    /** {@code ${VLA_X:-default}} (overridable, with a default) or {@code ${VLA_X:?message}} (required). */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::-(.*)|:\\?(.*))}");

    /** Where compose publishes what only the fleet's own hosts may reach. */
    private static final String PRIVATE = "${VLA_PRIVATE_ADDRESS:-127.0.0.1}";
    /** The one service the public reaches. */
    private static final String EDGE = "gateway-service";

    private final FleetDefinition definition = FleetDefinition.read(ROOT);
    private final Map<String, Map<String, Object>> composeServices = composeServices();

    @Test
    void composeRunsExactlyTheDefinedServicesFromTheirOwnImages() {
        List<String> built = composeServices.entrySet().stream()
                .filter(e -> e.getValue().containsKey("build")).map(Map.Entry::getKey).toList();
        assertEquals(definition.names().stream().sorted().toList(), built.stream().sorted().toList(),
                "services docker-compose.yml builds");
        for (String name : definition.names()) {
            Map<String, Object> build = map(composeServices.get(name).get("build"), name + ".build");
            assertEquals(name, map(build.get("args"), name + ".build.args").get("SERVICE"), name + " builds its own jar");
        }
    }

    @Test
    void composeListensAndChecksHealthWhereTheDefinitionSays() {
        for (FleetDefinition.Service service : definition.services()) {
            Map<String, Object> compose = composeServices.get(service.name());
            Map<String, Object> env = environment(service.name());
            String address = service.portVariable().replace("_PORT", "_ADDRESS");
            assertEquals("0.0.0.0", env.get(address), service.name() + " must listen beyond its container's loopback");
            String port = String.valueOf(service.port());
            assertEquals(port, String.valueOf(env.getOrDefault(service.portVariable(), port)), service.name() + "'s port");
            Object published = compose.get("ports");
            if (published != null) {
                String everywhere = port + ":" + port;
                assertTrue(published.equals(List.of(everywhere)) || published.equals(List.of(PRIVATE + ":" + everywhere)),
                        service.name() + "'s published port: " + published);
            }
            Map<String, Object> healthcheck = map(compose.get("healthcheck"), service.name() + ".healthcheck");
            int healthPort = service.healthPort();
            assertTrue(String.valueOf(healthcheck.get("test")).contains("http://127.0.0.1:" + healthPort + service.healthPath()),
                    service.name() + "'s health check " + healthcheck.get("test") + " must call " + service.healthPath()
                            + " on port " + healthPort);
        }
    }

    @Test
    void composeGivesEachServiceTheDefinedSettings() {
        List<String> problems = new ArrayList<>();
        for (FleetDefinition.Service service : definition.services()) {
            Map<String, Object> env = environment(service.name());
            service.environment().forEach((variable, defined) -> {
                Object value = env.get(variable);
                if (value == null) {
                    problems.add(service.name() + " lacks " + variable + " (deploy/fleet.conf: " + defined + ")");
                    return;
                }
                String problem = mismatch(String.valueOf(value), defined);
                if (problem != null) {
                    problems.add(service.name() + " " + variable + "=" + value + ": " + problem);
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
        assertTrue(Files.readString(ROOT.resolve("deploy/docker/Dockerfile"))
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
    void onlyTheGatewayIsPublishedToEveryInterfaceAndRedisRequiresAPassword() {
        composeServices.forEach((name, service) -> {
            Object published = service.get("ports");
            if (published == null) {
                return;
            }
            for (Object mapping : (List<?>) published) {
                assertTrue(name.equals(EDGE) || String.valueOf(mapping).startsWith(PRIVATE + ":"),
                        name + " publishes " + mapping + " beyond " + PRIVATE + "; only " + EDGE + " may");
            }
        });
        List<?> redis = (List<?>) composeServices.get("redis").get("command");
        int requirepass = redis.indexOf("--requirepass");
        assertTrue(requirepass >= 0, "Redis must require a password: " + redis);
        assertTrue(String.valueOf(redis.get(requirepass + 1)).startsWith("${VLA_REDIS_PASSWORD:?"),
                "the password is the operator's, never defaulted: " + redis);
        for (FleetDefinition.Service service : definition.services()) {
            if (service.environment().containsKey("VLA_REDIS_HOST")) {
                assertTrue(String.valueOf(environment(service.name()).get("VLA_REDIS_PASSWORD")).startsWith("${VLA_REDIS_PASSWORD:?"),
                        service.name() + " uses Redis and must be given its password");
            }
        }
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
