package com.vlaapi.billing.support;

import com.vlaapi.testsupport.database.TestDatabase;
import com.vlaapi.testsupport.repo.RepoPaths;
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
                .locations("filesystem:" + RepoPaths.root().resolve(service).resolve("src/main/resources/db/migration"))
                .load()
                .migrate();
    }
}
