package com.vlaapi.bench;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.bench.fleet.LocalFleet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Python client (clients/python) and the examples (examples/) against a running fleet: the
 * client's unittest suite runs with the customers it needs, each example gets an action, and openpi's
 * client protocol runs the reference policy's held-out episodes in closed loop.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PythonClientIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Debian's interpreter, which has requests, numpy and PIL (deploy/scripts/setup-python.sh). */
    private static final String PYTHON = "/usr/bin/python3";
    /**
     * How many tests clients/python/tests holds: fewer ran means a module failed to load, and any
     * skipped one means the suite did not see the fleet; both fail this test.
     */
    private static final int PYTHON_TESTS = 56;
    /** The suite's last line: no expected failure, no skipped test. */
    private static final String PYTHON_SUMMARY = "OK";
    /** A bracketed list of seven numbers: an action as every example prints it. */
    private static final Pattern ACTION = Pattern.compile("\\[\\s*-?[0-9.eE+-]+(\\s*,\\s*-?[0-9.eE+-]+){6}\\s*]");
    private static final Duration PYTHON_LIMIT = Duration.ofMinutes(10);

    private static LocalFleet fleet;

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = new LocalFleet(ROOT);
        fleet.start();
    }

    @AfterAll
    static void stopFleet() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    @Order(1)
    void theClientsTestsPassAgainstTheFleetAndAKilledInstanceCostsOneBilledRequestPerCall() throws Exception {
        // Each customer only as limited as its tests need: a 20/min bucket refills one token in 3 s.
        FleetCustomer unlimited = FleetCustomer.create(fleet, "Python Client Labs", "pro").withLimits(fleet, "{\"rate_limit_per_minute\": 100000}");
        FleetCustomer rateLimited = FleetCustomer.create(fleet, "Python Burst Labs", "pro").withLimits(fleet, "{\"rate_limit_per_minute\": 20}");
        FleetCustomer oneRequest = FleetCustomer.create(fleet, "Python Quota Labs", "pro").withLimits(fleet, "{\"monthly_quota\": 1}");
        FleetCustomer killedInstance = FleetCustomer.create(fleet, "Python Crash Labs", "pro").withLimits(fleet, "{\"rate_limit_per_minute\": 100000}");
        Path control = Files.createTempDirectory("python-client-control");

        ProcessBuilder command = new ProcessBuilder(PYTHON, "-m", "unittest", "discover", "-s", "clients/python/tests", "-v")
                .directory(ROOT.toFile()).redirectErrorStream(true);
        Map<String, String> env = command.environment();
        env.put("PYTHONPATH", ROOT.resolve("clients/python").toString());
        env.put("VLA_TEST_API_URL", fleet.url("gateway-service", "").toString());
        env.put("VLA_TEST_API_KEY", unlimited.apiKey());
        env.put("VLA_TEST_RATE_LIMITED_KEY", rateLimited.apiKey());
        env.put("VLA_TEST_QUOTA_KEY", oneRequest.apiKey());
        env.put("VLA_TEST_KILLED_INSTANCE_KEY", killedInstance.apiKey());
        env.put("VLA_TEST_FLEET_CONTROL", control.toString());
        Process python = command.start();
        InstanceKiller killer = new InstanceKiller(fleet, "inference-service", control, python);
        Thread watching = new Thread(killer, "python-client-instance-killer");
        watching.start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean exited = python.waitFor(PYTHON_LIMIT.toSeconds(), TimeUnit.SECONDS);
        if (!exited) {
            python.destroyForcibly();
        }
        watching.join();
        killer.bringBack();

        assertTrue(exited, "the Python tests still ran after " + PYTHON_LIMIT + ":\n" + output);
        assertEquals(0, python.exitValue(), output);
        Matcher ran = Pattern.compile("(?m)^Ran (\\d+) tests? in ").matcher(output);
        assertTrue(ran.find(), output);
        assertEquals(PYTHON_TESTS, Integer.parseInt(ran.group(1)), "tests run:\n" + output);
        List<String> lines = output.strip().lines().toList();
        assertEquals(PYTHON_SUMMARY, lines.get(lines.size() - 1), "every test passed, none skipped:\n" + output);
        assertTrue(killer.killed && killer.restarted, "the test had the inference instance killed and restarted:\n" + output);

        // Each call of the test once in the request log and once at billing, however many tries it took.
        List<String> calls = Files.readAllLines(control.resolve("request-ids")).stream().filter(l -> !l.isBlank()).sorted().toList();
        assertEquals(2, calls.size(), String.valueOf(calls));
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            assertEquals(calls, requestIds("SELECT request_id FROM inference.inference_logs "
                    + "WHERE customer_id = ? AND status_code = 200", killedInstance.id()));
            assertEquals(calls, requestIds("SELECT request_id FROM billing.usage_events WHERE customer_id = ?",
                    killedInstance.id()));
        });
    }

    @Test
    @Order(2)
    void eachExampleGetsAnAction() throws Exception {
        FleetCustomer customer = FleetCustomer.create(fleet, "Examples Robotics", "pro").withLimits(fleet, "{\"rate_limit_per_minute\": 100000}");
        List<List<String>> examples = List.of(
                List.of("bash", "examples/curl.sh"),
                List.of(PYTHON, "examples/quickstart.py"),
                List.of(PYTHON, "examples/python_client.py"),
                List.of(PYTHON, "examples/openvla_act.py"),
                List.of(PYTHON, "examples/control_loop.py", "--steps", "5", "--rate", "10", "--timeout", "30"));
        List<String> failures = new ArrayList<>();
        for (List<String> example : examples) {
            ProcessBuilder command = new ProcessBuilder(example).directory(ROOT.toFile()).redirectErrorStream(true);
            command.environment().put("VLA_API_KEY", customer.apiKey());
            command.environment().put("VLA_API_URL", fleet.url("gateway-service", "").toString());
            Process run = command.start();
            String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(run.waitFor(2, TimeUnit.MINUTES), example + " still runs");
            assertFalse(output.contains(customer.apiKey()), example + " printed the API key");
            if (run.exitValue() != 0 || !ACTION.matcher(output).find()) {
                failures.add(example + " exited " + run.exitValue() + " without an action:\n" + output);
            }
        }
        assertEquals(List.of(), failures);
    }

    /**
     * Issue 20's acceptance: openpi's wire format (examples/openpi_client.py) drives the 50 held-out
     * episodes of the tabletop task through the gateway, and succeeds as often as the in-process
     * evaluation of the same bundle did (its manifest's training.evaluation, written by retrain).
     * Every policy call is one row in the request log and one usage event.
     */
    @Test
    @Order(3)
    void anOpenpiClientRunsTheHeldOutEpisodesInClosedLoopAsWellAsInProcess() throws Exception {
        FleetCustomer robot = FleetCustomer.create(fleet, "Closed Loop Robotics", "pro").withLimits(fleet, "{\"rate_limit_per_minute\": 100000}");
        ProcessBuilder command = new ProcessBuilder(PYTHON, "examples/openpi_closed_loop.py", "--episodes", "50")
                .directory(ROOT.toFile()).redirectErrorStream(true);
        command.environment().put("VLA_API_KEY", robot.apiKey());
        command.environment().put("VLA_API_URL", fleet.url("gateway-service", "").toString());
        Process run = command.start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(run.waitFor(PYTHON_LIMIT.toSeconds(), TimeUnit.SECONDS), "the episodes still run:\n" + output);
        assertEquals(0, run.exitValue(), output);
        List<String> lines = output.strip().lines().toList();
        JsonNode summary = JSON.readTree(lines.get(lines.size() - 1));
        JsonNode inProcess = JSON.readTree(Files.readString(ROOT.resolve("reference-policy/bundles/tabletop-v1/manifest.json")))
                .at("/training/evaluation/closed_loop");

        double served = summary.get("success_rate").asDouble();
        double offline = inProcess.get("success_with_state").asDouble();
        System.out.printf("closed loop through /v1/openpi: %.3f over %d episodes (%d policy calls, %d steps); in process %.3f%n",
                served, summary.get("episodes").asInt(), summary.get("policy_calls").asInt(), summary.get("steps").asInt(), offline);
        assertEquals(50, summary.get("episodes").asInt(), output);
        assertEquals(inProcess.get("episodes").asInt(), summary.get("episodes").asInt(), "the same episodes as in process");
        assertTrue(served >= 0.90, "success through the API " + served + ":\n" + output);
        assertTrue(Math.abs(served - offline) <= 0.05, "through the API " + served + ", in process " + offline);
        long calls = summary.get("policy_calls").asLong();
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            assertEquals(calls, count("SELECT count(*) FROM inference.inference_logs WHERE customer_id = ? AND status_code = 200",
                    robot.id()));
            assertEquals(calls, count("SELECT count(*) FROM billing.usage_events WHERE customer_id = ?", robot.id()));
        });
    }

    /**
     * Kills the instance when the Python test asks for it (file {@code kill-inference}; answers
     * {@code inference-killed}) and starts it again when the test asks (file
     * {@code restart-inference}, written once its client has met the dead instance).
     */
    private static final class InstanceKiller implements Runnable {

        private final LocalFleet fleet;
        private final String instance;
        private final Path control;
        private final Process python;
        volatile boolean killed;
        volatile boolean restarted;
        private volatile Exception failure;

        InstanceKiller(LocalFleet fleet, String instance, Path control, Process python) {
            this.fleet = fleet;
            this.instance = instance;
            this.control = control;
            this.python = python;
        }

        @Override
        public void run() {
            try {
                while (python.isAlive() && !restarted) {
                    if (!killed && Files.exists(control.resolve("kill-inference"))) {
                        fleet.kill(instance);
                        killed = true;
                        Files.createFile(control.resolve("inference-killed"));
                    }
                    if (killed && Files.exists(control.resolve("restart-inference"))) {
                        fleet.restart(instance);
                        restarted = true;
                    }
                    Thread.sleep(100);
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        /** After the Python tests: a test that failed halfway leaves the fleet whole for the next; a failure of ours is raised. */
        void bringBack() throws Exception {
            if (killed && !restarted) {
                fleet.restart(instance);
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    private static long count(String query, UUID customer) throws Exception {
        try (Connection db = fleet.connect(); PreparedStatement select = db.prepareStatement(query)) {
            select.setObject(1, customer);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Sorted, duplicates kept: a request billed twice shows. */
    private static List<String> requestIds(String query, UUID customer) throws Exception {
        try (Connection db = fleet.connect(); PreparedStatement select = db.prepareStatement(query)) {
            select.setObject(1, customer);
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids.stream().sorted().toList();
        }
    }
}
