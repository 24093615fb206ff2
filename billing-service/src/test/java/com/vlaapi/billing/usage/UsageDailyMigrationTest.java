package com.vlaapi.billing.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.billing.support.ProductionLayout;
import com.vlaapi.testsupport.database.TestDatabase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** Upgrading a database that already holds usage: the migration that adds the rollup fills it from usage_events. */
class UsageDailyMigrationTest {

    private final TestDatabase database = ProductionLayout.createDatabase();

    @AfterEach
    void drop() {
        database.drop();
    }

    @Test
    void theRollupStartsEqualToTheStoredUsage() {
        migrateTo(MigrationVersion.fromVersion("1"));
        JdbcTemplate db = database.jdbc();
        // Two customers, every 30 minutes for three UTC days, each day's last one a microsecond before midnight.
        db.update("""
                INSERT INTO billing.usage_events (request_id, customer_id, served_at)
                SELECT gen_random_uuid(), c, timestamptz '2026-10-31T00:00:00Z' + g * interval '30 minutes' - interval '1 microsecond'
                FROM generate_series(1, 144) g,
                     unnest(ARRAY['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']::uuid[]) c""");

        migrateTo(MigrationVersion.LATEST);

        assertThat(db.queryForList("SELECT customer_id::text, day::text, requests FROM billing.usage_daily ORDER BY 1, 2"))
                .isEqualTo(db.queryForList("""
                        SELECT customer_id::text, (served_at AT TIME ZONE 'UTC')::date::text AS day, count(*) AS requests
                        FROM billing.usage_events GROUP BY 1, 2 ORDER BY 1, 2"""))
                .hasSize(6);
        db.update("INSERT INTO billing.usage_events (request_id, customer_id, served_at)"
                + " VALUES (gen_random_uuid(), '00000000-0000-4000-8000-000000000001', '2026-11-02T23:59:59.999999Z')");
        assertThat(db.queryForObject("SELECT requests FROM billing.usage_daily WHERE day = '2026-11-02'"
                + " AND customer_id = '00000000-0000-4000-8000-000000000001'", Long.class)).isEqualTo(49);
    }

    /** As billing-service migrates at startup (application.yml's spring.flyway). */
    private void migrateTo(MigrationVersion target) {
        Flyway.configure().dataSource(database.url(), database.user(), database.password())
                .schemas("billing", "reporting").defaultSchema("billing").locations("classpath:db/migration")
                .target(target).load().migrate();
    }
}
