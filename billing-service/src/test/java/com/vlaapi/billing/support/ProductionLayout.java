package com.vlaapi.billing.support;

import com.vlaapi.testsupport.database.TestDatabase;

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
        return database.withMigrationsOf("customer-service", "customer").withMigrationsOf("inference-service", "inference");
    }
}
