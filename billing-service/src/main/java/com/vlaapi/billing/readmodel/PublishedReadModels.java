package com.vlaapi.billing.readmodel;

import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The other services' public read models, the only part of their data billing reads: each is a
 * view their own migrations create. Billing's migrations build the operators' reporting views on
 * them, so they wait for them first (created, and granted to billing's database role): the
 * services may start in any order, and billing comes up as soon as its neighbours have migrated.
 */
@Configuration(proxyBeanMethods = false)
class PublishedReadModels {

    /** View, and the service whose migrations create it. */
    private record ReadModel(String view, String owner) {
    }

    private static final List<ReadModel> READ = List.of(
            new ReadModel("customer.customers_v1", "customer-service"),
            new ReadModel("inference.request_log_v1", "inference-service"),
            new ReadModel("inference.usage_in_transit_v1", "inference-service"),
            new ReadModel("inference.request_journals_v1", "inference-service"));
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration REMIND_EVERY = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(PublishedReadModels.class);

    @Bean
    FlywayMigrationStrategy migrateOnceReadModelsExist(ReadModelProperties properties) {
        return flyway -> {
            await(flyway.getConfiguration().getDataSource(), properties.waitTimeout());
            flyway.migrate();
        };
    }

    private static void await(DataSource dataSource, Duration timeout) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        long start = System.nanoTime();
        long nextReminder = start;
        while (true) {
            List<ReadModel> missing = READ.stream().filter(model -> !exists(jdbc, model.view())).toList();
            if (missing.isEmpty()) {
                return;
            }
            long now = System.nanoTime();
            if (now - start > timeout.toNanos()) {
                throw new IllegalStateException("billing-service reads " + describe(missing) + ", which do not exist in "
                        + "this database after " + timeout.toSeconds() + " s: start those services against the same "
                        + "database (their migrations create the views), or raise vla.billing.read-models.wait-timeout.");
            }
            if (now - nextReminder >= 0) {
                log.info("waiting for {} before migrating (start the owning services; giving up after {} s)",
                        describe(missing), timeout.toSeconds());
                nextReminder = now + REMIND_EVERY.toNanos();
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + describe(missing), e);
            }
        }
    }

    /** Created and granted to billing's role: the owner's migrations do both, one after the other. */
    private static boolean exists(JdbcTemplate jdbc, String view) {
        String[] name = view.split("\\.");
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                               WHERE n.nspname = ? AND c.relname = ?
                                 AND has_schema_privilege(n.oid, 'USAGE') AND has_table_privilege(c.oid, 'SELECT'))""",
                Boolean.class, name[0], name[1]));
    }

    private static String describe(List<ReadModel> models) {
        return String.join(", ", models.stream().map(m -> m.view() + " (" + m.owner() + "'s read model)").toList());
    }
}
