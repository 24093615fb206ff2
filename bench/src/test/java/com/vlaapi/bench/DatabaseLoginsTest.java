package com.vlaapi.bench;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The modules' tests log in to PostgreSQL only through test-support's {@code TestDatabase} (its
 * administrator, URL and password, which {@code bin/vla test} exports): none names a server, a
 * user or a client program of its own. That is what lets {@link StockPostgresIT} rerun one test
 * class per way of using {@code TestDatabase} on a cluster that trusts nobody, instead of every
 * database test again: a test that logged in some other way could pass on a trusting server and
 * fail on a newcomer's stock one, and is named here.
 */
class DatabaseLoginsTest {

    /** A login of a test's own: a JDBC URL or driver call, the superuser by name, or PostgreSQL's client programs. */
    private static final Pattern OWN_LOGIN = Pattern.compile(
            "jdbc:postgresql:|DriverManager|PGSimpleDataSource|\"postgres\"|\"(psql|pg_dump|pg_restore|createdb|dropdb)\"|PGPASSWORD");
    /** Files that name such a thing without logging in, and why. */
    private static final Set<String> NOT_LOGINS = Set.of(
            // asserts the services' default vla.db.url; opens no connection
            "service-contract/src/test/java/com/vlaapi/servicecontract/settings/DatabasePropertiesTest.java");

    @Test
    void moduleTestsLogInOnlyThroughTestDatabase() throws IOException {
        List<String> ownLogins = new ArrayList<>();
        int scanned = 0;
        for (Path file : moduleTestSources()) {
            String relative = ROOT.relativize(file).toString();
            scanned++;
            if (NOT_LOGINS.contains(relative)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher login = OWN_LOGIN.matcher(lines.get(i));
                if (login.find()) {
                    ownLogins.add(relative + ":" + (i + 1) + " " + login.group());
                }
            }
        }
        assertTrue(scanned > 100, "the modules' test sources were found (" + scanned + " files under " + ROOT + ")");
        assertEquals(List.of(), ownLogins, "tests that log in to PostgreSQL other than through TestDatabase:"
                + " use TestDatabase (url(), user(), password()) so that StockPostgresIT's rerun stands for them");
    }

    @Test
    void theRuleFindsALoginOfATestsOwn() {
        assertTrue(OWN_LOGIN.matcher("DriverManager.getConnection(\"jdbc:postgresql://127.0.0.1/x\", \"postgres\", \"\")").find());
        assertTrue(OWN_LOGIN.matcher("new ProcessBuilder(\"psql\", \"-c\", sql)").find());
        assertFalse(OWN_LOGIN.matcher("new SingleConnectionDataSource(database.url(), database.user(), database.password(), true)").find());
    }

    /**
     * Every module's src/test (the root pom's modules), bench's own excluded: its fleets, backups and
     * StockPostgresIT administer clusters and roles on purpose, and StockPostgresIT does not rerun them.
     */
    private static List<Path> moduleTestSources() throws IOException {
        List<Path> sources = new ArrayList<>();
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        while (module.find()) {
            Path tests = ROOT.resolve(module.group(1)).resolve("src/test/java");
            if (!module.group(1).equals("bench") && Files.isDirectory(tests)) {
                sources.addAll(RepositoryFiles.under(tests, ".java"));
            }
        }
        return sources;
    }
}
