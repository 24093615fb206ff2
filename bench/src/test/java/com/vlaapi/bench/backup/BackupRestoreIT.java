package com.vlaapi.bench.backup;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.bench.FleetTraffic;
import com.vlaapi.bench.OperatorScript;
import com.vlaapi.bench.fleet.LocalFleet;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `bin/vla backup` and `bin/vla restore` on the fleet's own database: data written by the real
 * services, a backup, the database dropped, the restore: every table's rows, every owner and grant,
 * the sequences and the database's settings are as they were.
 */
class BackupRestoreIT {


    @Test
    void aDroppedDatabaseComesBackWhole(@TempDir Path backups) throws Exception {
        try (LocalFleet fleet = new LocalFleet(ROOT)) {
            fleet.start();
            String customer = FleetTraffic.serve(fleet, ROOT, "Backup Robotics", 5);
            try (Connection db = fleet.connect(); Statement sql = db.createStatement()) {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                        count(sql, "SELECT count(*) FROM billing.usage_events WHERE customer_id = '" + UUID.fromString(customer) + "'") == 5
                                && count(sql, "SELECT count(*) FROM inference.inference_logs") == 6);
            }
            // Quiet, as an operator restores: nothing writes between the fingerprints and the backup.
            fleet.stopServices();
            Map<String, String> before;
            try (Connection db = fleet.connect(); Statement sql = db.createStatement()) {
                // The one database setting deploy/scripts/postgres.sh gives production's and the fleet's
                // lacks: the restore runs postgres.sh, so without it the restored database would differ.
                sql.execute("ALTER DATABASE " + fleet.database + " SET timezone = 'UTC'");
                before = DatabaseFingerprint.of(db);
            }
            assertTrue(DatabaseFingerprint.rows(before) >= 12, "customers, keys, logs, usage: " + before);
            Map<String, String> settings = settings(fleet, backups);

            OperatorScript backup = OperatorScript.run(ROOT, settings, "backup.sh");
            assertEquals(0, backup.exitStatus(), backup.output());
            List<Path> files = files(backups);
            assertEquals(1, files.size(), backup.output());
            assertTrue(files.get(0).getFileName().toString().matches(fleet.database + "-\\d{8}T\\d{6}Z\\.dump"), files.toString());
            assertTrue(backup.output().contains("inference.inference_logs"), "progress per table: " + backup.output());

            try (Connection open = fleet.connect()) {
                OperatorScript refused = OperatorScript.run(ROOT, settings, "restore.sh", files.get(0).toString());
                assertEquals(1, refused.exitStatus(), refused.output());
                assertTrue(refused.output().contains("is in use") && refused.output().contains("bin/vla down"), refused.output());
            }
            fleet.dropDatabase();

            OperatorScript restore = OperatorScript.run(ROOT, settings, "restore.sh", files.get(0).toString());
            assertEquals(0, restore.exitStatus(), restore.output());
            try (Connection db = fleet.connect(); Statement sql = db.createStatement()) {
                assertEquals(List.of(), DatabaseFingerprint.differences(before, DatabaseFingerprint.of(db)));
                assertEquals(0, count(sql, "SELECT count(*) FROM pg_database WHERE datname LIKE '" + fleet.database + "\\_restoring\\_%'"),
                        "the fresh database the restore filled is the database now");
            }
        }
    }

    /** The scripts' settings for the fleet's database: its name, its server's port, and the test's backup folder. */
    static Map<String, String> settings(LocalFleet fleet, Path backups) {
        return Map.of("VLA_DB_NAME", fleet.database, "VLA_BACKUP_DIR", backups.toString(),
                "VLA_POSTGRES_PORT", String.valueOf(URI.create(fleet.databaseUrl().substring("jdbc:".length())).getPort()));
    }

    static List<Path> files(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }

    private static long count(Statement sql, String query) throws Exception {
        try (ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
