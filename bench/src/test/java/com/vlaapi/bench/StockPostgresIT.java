package com.vlaapi.bench;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.bench.backup.DatabaseFingerprint;
import com.vlaapi.bench.fleet.LocalFleet;
import com.vlaapi.testsupport.seed.SeedQueries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `bin/vla up` and the tests on a stock Debian PostgreSQL, not this machine's trusting one: a
 * second cluster that Debian's pg_createcluster makes on a free port, with its default
 * pg_hba.conf (peer over the local socket, scram-sha-256 over TCP, trust nowhere). What
 * `bin/vla test` runs first (deploy/scripts/test-postgres.sh, postgres.sh within) prepares it over
 * the socket; the tests' administrator and a test database's set-up work over TCP with a password;
 * the fleet runs on it, each service logging in as its own role with its password; the operators'
 * role runs the seed's queries with its password and sees the requests; and `bin/vla backup` and
 * `restore` (over the socket) give the database back whole. The cluster is dropped at the end.
 */
class StockPostgresIT {

    private static final String CLUSTER = "vla_stock_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    /**
     * Rerun on the stock cluster, one for each way the modules' tests use TestDatabase: a service's
     * application on a database of its own (customer-service's test base class); a database laid
     * out with the other services' migrations (billing's reporting views, queried as the seed's
     * SQL); a database set up by the test before the application (inference's request log); and
     * one created by the application context and dropped when it stops (inference's channel).
     */
    private static final List<String> DATABASE_TESTS = List.of(
            "com.vlaapi.customer.admin.CustomerAdminApiTest",
            "com.vlaapi.billing.report.SeedQueriesAndReportsTest",
            "com.vlaapi.inference.requestlog.RequestLogStoreIntegrationTest",
            "com.vlaapi.inference.api.InferenceChannelIntegrationTest");
    private static String version;
    private static int port;

    @BeforeAll
    static void createStockCluster() throws Exception {
        try (Stream<Path> installed = Files.list(Path.of("/usr/lib/postgresql"))) {
            version = installed.map(p -> p.getFileName().toString()).filter(v -> v.matches("\\d+"))
                    .max((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL under /usr/lib/postgresql: deploy/scripts/postgres.sh installs it"));
        }
        port = LocalFleet.freePort();
        Runtime.getRuntime().addShutdownHook(new Thread(StockPostgresIT::dropQuietly));
        asRoot("pg_createcluster", version, CLUSTER, "-p", String.valueOf(port));
        asRoot("pg_ctlcluster", "--skip-systemctl-redirect", version, CLUSTER, "start");
    }

    @AfterAll
    static void dropStockCluster() throws Exception {
        asRoot("pg_dropcluster", "--stop", version, CLUSTER);
    }

    @Test
    void theFleetTheTestsAndBackupsWorkWithoutTrust(@TempDir Path work) throws Exception {
        // The premise: Debian's defaults, no trust, no superuser over TCP without a password.
        List<String> rules = Files.readAllLines(Path.of("/etc/postgresql", version, CLUSTER, "pg_hba.conf")).stream()
                .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        assertTrue(rules.stream().noneMatch(line -> line.matches(".*\\btrust\\b.*")), rules.toString());
        assertThrows(SQLException.class, () -> DriverManager.getConnection(url("postgres"), "postgres", "").close());

        // What bin/vla test runs first; the logins it exports are handed over in a file of the test's own.
        Path logins = work.resolve("logins");
        String operatorsPassword = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        OperatorScript prepared = OperatorScript.run(Map.of("VLA_POSTGRES_PORT", String.valueOf(port), "VLA_DB_PASSWORD", operatorsPassword),
                List.of("bash", "-c", "set -euo pipefail; . \"$0\" >&2; umask 077; printf '%s\\n' \"$VLA_TEST_DB_ADMIN_URL\""
                        + " \"$VLA_TEST_DB_ADMIN_USER\" \"$VLA_TEST_DB_ADMIN_PASSWORD\" \"$VLA_CUSTOMER_DB_PASSWORD\""
                        + " \"$VLA_INFERENCE_DB_PASSWORD\" \"$VLA_BILLING_DB_PASSWORD\" > \"$1\"",
                        ROOT.resolve("deploy/scripts/test-postgres.sh").toString(), logins.toString()));
        assertEquals(0, prepared.exitStatus(), prepared.output());
        List<String> exported = Files.readAllLines(logins);
        assertEquals(List.of(url("postgres"), "vla_test_admin"), exported.subList(0, 2), prepared.output());
        String adminPassword = exported.get(2);

        // The services' database tests, run by Maven against this cluster as that administrator over
        // TCP (bin/vla test installs the modules before this one runs, so their test classes and
        // dependencies are in place): one class per way the modules' tests use TestDatabase, their
        // only login (DatabaseLoginsTest keeps it so).
        OperatorScript databaseTests = OperatorScript.run(Map.of(
                "VLA_TEST_DB_ADMIN_URL", url("postgres"), "VLA_TEST_DB_ADMIN_USER", "vla_test_admin",
                "VLA_TEST_DB_ADMIN_PASSWORD", adminPassword), List.of(
                "mvn", "-o", "-B", "-f", ROOT.resolve("pom.xml").toString(), "surefire:test",
                "-pl", "customer-service,billing-service,inference-service",
                "-Dtest=" + String.join(",", DATABASE_TESTS), "-Dsurefire.failIfNoSpecifiedTests=false"));
        assertEquals(0, databaseTests.exitStatus(), tail(databaseTests.output()));
        for (String testClass : DATABASE_TESTS) {
            assertTrue(testsRun(databaseTests.output(), testClass) > 0, testClass + " ran no test: " + tail(databaseTests.output()));
        }

        try (LocalFleet fleet = LocalFleet.onPreparedDatabase(ROOT, port, "vlaapi", Map.of(
                "customer-db-password", exported.get(3), "inference-db-password", exported.get(4),
                "billing-db-password", exported.get(5)))) {
            fleet.start();
            FleetTraffic.serve(fleet, ROOT, "Stock Robotics", 3);

            // The seed's queries as the operators run them: their role, its password, over TCP.
            try (Connection operators = DriverManager.getConnection(url("vlaapi"), "vlaapi", operatorsPassword);
                 Statement sql = operators.createStatement()) {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    try (ResultSet rs = sql.executeQuery(SeedQueries.MONTHLY_USAGE)) {
                        assertTrue(rs.next(), "a customer");
                        assertEquals("Stock Robotics", rs.getString("company_name"));
                        assertEquals(3, rs.getLong("monthly_usage"), "billed requests");
                    }
                });
                try (ResultSet rs = sql.executeQuery(SeedQueries.LATENCY_LAST_30_DAYS)) {
                    assertTrue(rs.next());
                    assertEquals("Stock Robotics", rs.getString("company_name"));
                    assertEquals(3, rs.getLong("total_requests"), "logged successful requests");
                }
            }

            // Backup and restore, administered over the socket alone.
            fleet.stopServices();
            Map<String, String> before;
            try (Connection db = DriverManager.getConnection(url("vlaapi"), "vla_test_admin", adminPassword)) {
                before = DatabaseFingerprint.of(db);
            }
            Path backups = work.resolve("backups");
            Map<String, String> settings = Map.of("VLA_POSTGRES_PORT", String.valueOf(port), "VLA_BACKUP_DIR", backups.toString());
            OperatorScript backup = OperatorScript.run(ROOT, settings, "backup.sh");
            assertEquals(0, backup.exitStatus(), backup.output());
            Path file;
            try (Stream<Path> files = Files.list(backups)) {
                file = files.findFirst().orElseThrow();
            }
            try (Connection admin = DriverManager.getConnection(url("postgres"), "vla_test_admin", adminPassword);
                 Statement sql = admin.createStatement()) {
                sql.execute("DROP DATABASE vlaapi WITH (FORCE)");
            }
            OperatorScript restore = OperatorScript.run(ROOT, settings, "restore.sh", file.toString());
            assertEquals(0, restore.exitStatus(), restore.output());
            try (Connection db = DriverManager.getConnection(url("vlaapi"), "vla_test_admin", adminPassword)) {
                assertEquals(List.of(), DatabaseFingerprint.differences(before, DatabaseFingerprint.of(db)));
            }
        }
    }

    /** How many of the class's tests Maven reports passed ("Tests run: N, Failures: 0, Errors: 0, ... -- in the.Class"). */
    private static int testsRun(String mavenOutput, String testClass) {
        Matcher passed = Pattern.compile("(?m)^\\[INFO\\] Tests run: (\\d+), Failures: 0, Errors: 0, .* -- in "
                + Pattern.quote(testClass) + "$").matcher(mavenOutput);
        return passed.find() ? Integer.parseInt(passed.group(1)) : 0;
    }

    private static String tail(String output) {
        return output.substring(Math.max(0, output.length() - 6000));
    }

    private static String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The cluster commands need root: as root, or through sudo without a password. */
    private static void asRoot(String... command) throws Exception {
        List<String> full = new ArrayList<>();
        if (!"root".equals(System.getProperty("user.name"))) {
            full.addAll(List.of("sudo", "-n"));
        }
        full.addAll(List.of(command));
        OperatorScript result = OperatorScript.run(Map.of(), full);
        if (result.exitStatus() != 0) {
            throw new IllegalStateException(String.join(" ", full) + " failed (this test needs root or passwordless sudo"
                    + " and Debian's postgresql-common): " + result.output());
        }
    }

    private static void dropQuietly() {
        try {
            asRoot("pg_dropcluster", "--stop", version, CLUSTER);
        } catch (Exception alreadyDropped) {
            // the normal case: @AfterAll dropped it
        }
    }
}
