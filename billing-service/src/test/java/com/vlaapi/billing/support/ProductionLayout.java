package com.vlaapi.billing.support;

import com.vlaapi.testsupport.database.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;

/**
 * A test database laid out like production for billing: customer-service's and
 * inference-service's own migrations (billing's views read their tables) and the search_path
 * operators get (reporting first).
 */
public final class ProductionLayout {

    private ProductionLayout() {
    }

    public static TestDatabase createDatabase() {
        TestDatabase database = TestDatabase.create("billing");
        database.execute("ALTER DATABASE " + database.name() + " SET search_path = reporting, \"$user\", public");
        migrate(database, "customer", "customer-service");
        migrate(database, "inference", "inference-service");
        return database;
    }

    /** The sibling service's real migrations, as that service would run them at its start. */
    private static void migrate(TestDatabase database, String schema, String service) {
        Flyway.configure()
                .dataSource(database.url(), database.user(), database.password())
                .schemas(schema)
                .defaultSchema(schema)
                .locations("filesystem:" + repoRoot().resolve(service).resolve("src/main/resources/db/migration"))
                .load()
                .migrate();
    }

    public static Path repoRoot() {
        String configured = System.getProperty("vla.repo.root");
        Path start = configured != null ? Path.of(configured) : Path.of("");
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("inference-service/src/main/resources/db/migration"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root above " + start.toAbsolutePath());
    }
}
