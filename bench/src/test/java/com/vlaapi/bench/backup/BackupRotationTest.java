package com.vlaapi.bench.backup;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `bin/vla backup`'s rotation (deploy/scripts/backup.sh --rotate-only, no database needed): of two
 * months of nightly backups it keeps the newest of each of the last N days and M ISO weeks, and
 * touches nothing that is not one of the database's complete backups. The kept set is written out
 * by hand from a calendar, not computed the way the script computes it.
 */
class BackupRotationTest {


    @Test
    void keepsTheNewestOfEachOfTheLastDaysAndIsoWeeksAndNothingElse(@TempDir Path backups) throws Exception {
        // Every night at 02:00 UTC from 2026-10-01 to 2026-11-27 (a Friday), and a second backup
        // on the last day, before a risky change at 14:30.
        for (LocalDate day = LocalDate.of(2026, 10, 1); !day.isAfter(LocalDate.of(2026, 11, 27)); day = day.plusDays(1)) {
            Files.createFile(backups.resolve("vlaapi-" + day.toString().replace("-", "") + "T020000Z.dump"));
        }
        Files.createFile(backups.resolve("vlaapi-20261127T143000Z.dump"));
        List<String> untouchable = List.of(
                "vlaapi-20260901T020000Z.dump.partial", // a backup being written (or one that died)
                "other-20260901T020000Z.dump",          // another database's
                "notes.txt");
        for (String name : untouchable) {
            Files.createFile(backups.resolve(name));
        }

        String output = rotate(backups, 7, 4);

        Set<String> expected = new TreeSet<>(untouchable);
        expected.addAll(List.of(
                // the last 7 days, each day's newest: the 27th's second backup, not its first
                "vlaapi-20261127T143000Z.dump", "vlaapi-20261126T020000Z.dump", "vlaapi-20261125T020000Z.dump",
                "vlaapi-20261124T020000Z.dump", "vlaapi-20261123T020000Z.dump", "vlaapi-20261122T020000Z.dump",
                "vlaapi-20261121T020000Z.dump",
                // the last 4 ISO weeks' newest: 2026-W48 (Mon 23 to Sun 29 Nov) is the 27th's above,
                // W47 ends on Sunday the 22nd (above too), then W46 and W45
                "vlaapi-20261115T020000Z.dump", "vlaapi-20261108T020000Z.dump"));
        assertEquals(expected, names(backups), output);
        assertTrue(output.contains("deleted 50"), output);

        // Run again: nothing more to delete.
        assertTrue(rotate(backups, 7, 4).contains("deleted 0"));
        assertEquals(expected, names(backups));
    }

    @Test
    void weeklyOnlyKeepsOnePerWeekAcrossAYearEnd(@TempDir Path backups) throws Exception {
        // The seed's routine, "back up database weekly", on Fridays around 2026/27: 2027-01-01 is
        // a Friday in ISO week 2026-W53, and the next Friday is in 2027-W01.
        for (String day : List.of("20261218", "20261225", "20270101", "20270108")) {
            Files.createFile(backups.resolve("vlaapi-" + day + "T020000Z.dump"));
        }
        Files.createFile(backups.resolve("vlaapi-20270106T020000Z.dump")); // an extra one mid-week

        rotate(backups, 0, 3);

        assertEquals(new TreeSet<>(List.of("vlaapi-20270108T020000Z.dump", "vlaapi-20270101T020000Z.dump",
                "vlaapi-20261225T020000Z.dump")), names(backups));
    }

    @Test
    void refusesToKeepNothing(@TempDir Path backups) throws Exception {
        Files.createFile(backups.resolve("vlaapi-20261127T020000Z.dump"));
        Process rotate = rotation(backups, 0, 0).start();
        String output = new String(rotate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, rotate.waitFor(), output);
        assertTrue(output.contains("would delete every backup"), output);
        assertEquals(Set.of("vlaapi-20261127T020000Z.dump"), names(backups));
    }

    private static String rotate(Path backups, int days, int weeks) throws Exception {
        Process rotate = rotation(backups, days, weeks).start();
        String output = new String(rotate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, rotate.waitFor(), output);
        return output;
    }

    private static ProcessBuilder rotation(Path backups, int days, int weeks) {
        ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("deploy/scripts/backup.sh").toString(), "--rotate-only")
                .redirectErrorStream(true);
        builder.environment().putAll(Map.of("VLA_BACKUP_DIR", backups.toString(), "VLA_DB_NAME", "vlaapi",
                "VLA_BACKUP_KEEP_DAILY", String.valueOf(days), "VLA_BACKUP_KEEP_WEEKLY", String.valueOf(weeks)));
        return builder;
    }

    private static Set<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
