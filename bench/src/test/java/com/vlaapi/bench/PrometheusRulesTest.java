package com.vlaapi.bench;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/prometheus as Prometheus's own tool reads it: the configuration and rules are valid, the
 * alerts' unit tests (tests/alerts_test.yml) pass, and every alert tells the person it wakes how
 * urgent it is and what to do.
 */
class PrometheusRulesTest {

    private static final Path PROMETHEUS = ROOT.resolve("deploy/prometheus");
    private static final PrometheusRules RULES = PrometheusRules.read(PROMETHEUS.resolve("rules"));

    @Test
    void promtoolAcceptsTheConfigurationAndTheRules() throws Exception {
        promtool("check", "config", PROMETHEUS.resolve("prometheus.yml").toString());
        try (var files = Files.list(PROMETHEUS.resolve("rules"))) {
            for (Path file : files.sorted().toList()) {
                promtool("check", "rules", file.toString());
            }
        }
    }

    @Test
    void theAlertsUnitTestsPass() throws Exception {
        promtool("test", "rules", PROMETHEUS.resolve("tests/alerts_test.yml").toString());
    }

    @Test
    void everyAlertSaysHowUrgentItIsAndWhatToDo() {
        List<String> problems = new ArrayList<>();
        for (PrometheusRules.Rule alert : RULES.alerts()) {
            if (!Set.of("page", "ticket").contains(alert.labels().get("severity"))) {
                problems.add(alert.name() + ": severity must be page or ticket, not " + alert.labels().get("severity"));
            }
            for (String annotation : List.of("summary", "description")) {
                if (alert.annotations().getOrDefault(annotation, "").isBlank()) {
                    problems.add(alert.name() + ": no " + annotation);
                }
            }
        }
        assertTrue(RULES.alerts().size() >= 10, "the alerts were read: " + RULES.alerts().size());
        assertEquals(List.of(), problems);
    }

    /** An alert nobody has seen fire may never fire: each has a unit test where it does. */
    @Test
    @SuppressWarnings("unchecked")
    void everyAlertFiresInAUnitTest() throws IOException {
        Map<String, Object> tests = new Yaml().load(Files.readString(PROMETHEUS.resolve("tests/alerts_test.yml")));
        Set<String> firing = new TreeSet<>();
        for (Map<String, Object> test : (List<Map<String, Object>>) tests.get("tests")) {
            for (Map<String, Object> check : (List<Map<String, Object>>) test.get("alert_rule_test")) {
                if (!((List<?>) check.get("exp_alerts")).isEmpty()) {
                    firing.add((String) check.get("alertname"));
                }
            }
        }
        TreeSet<String> untested = new TreeSet<>(RULES.alerts().stream().map(PrometheusRules.Rule::name).toList());
        untested.removeAll(firing);
        assertEquals(Set.of(), untested, "alerts without a unit test in which they fire");
    }

    /**
     * The compose monitoring tier's Alertmanager: a valid configuration that sends pages and
     * tickets to their own receivers (amtool, Alertmanager's own tool).
     */
    @Test
    void alertmanagerRoutesPagesAndTicketsToTheirOwnReceivers() throws Exception {
        String config = "--config.file=" + ROOT.resolve("deploy/alertmanager/alertmanager.yml");
        run("amtool", "check-config", ROOT.resolve("deploy/alertmanager/alertmanager.yml").toString());
        assertEquals("page", run("amtool", "config", "routes", "test", config, "severity=page", "alertname=VlaServiceDown").strip());
        assertEquals("ticket", run("amtool", "config", "routes", "test", config, "severity=ticket", "alertname=VlaHighLatencyP99").strip());
    }

    private static void promtool(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(arguments));
        run(command.toArray(String[]::new));
    }

    private static String run(String... command) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(PROMETHEUS.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError(command[0] + " is missing: deploy/scripts/prometheus.sh install (bin/vla test runs it)", e);
        }
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        // Small outputs, read once it ended; stderr apart, so a tool's warnings do not mix into its answer.
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + output + errors);
        return output;
    }
}
