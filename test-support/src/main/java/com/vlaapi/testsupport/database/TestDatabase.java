package com.vlaapi.testsupport.database;

import com.vlaapi.testsupport.repo.RepoPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import org.flywaydb.core.Flyway;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A throw-away database on the machine's real PostgreSQL, with pgvector and the services' roles and
 * schemas (deploy/postgres/roles.sql) like production; tests connect as the admin user. CI runs
 * other tests against the same server, so every test class gets a database of its own, named after
 * its service, and drops it afterwards (a JVM shutdown hook drops it too, for a test that dies
 * first). {@code VLA_TEST_DB_ADMIN_URL}, {@code VLA_TEST_DB_ADMIN_USER} and
 * {@code VLA_TEST_DB_ADMIN_PASSWORD} point every service's tests at another server.
 */
public final class TestDatabase {

    private static final String ADMIN_URL = env("VLA_TEST_DB_ADMIN_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String ADMIN_USER = env("VLA_TEST_DB_ADMIN_USER", "postgres");
    private static final String ADMIN_PASSWORD = env("VLA_TEST_DB_ADMIN_PASSWORD", "");

    private final String name;
    private final String url;

    private TestDatabase(String name) {
        this.name = name;
        this.url = ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + name;
    }

    /** A new database {@code <service>_test_<random>}. */
    public static TestDatabase create(String service) {
        byte[] suffix = new byte[4];
        new SecureRandom().nextBytes(suffix);
        TestDatabase database = new TestDatabase(service + "_test_" + HexFormat.of().formatHex(suffix));
        database.execute(ADMIN_URL, "CREATE DATABASE " + database.name);
        Runtime.getRuntime().addShutdownHook(new Thread(database::drop));
        database.execute("CREATE EXTENSION IF NOT EXISTS vector");
        // The services' roles and schemas, as production has them: migrations grant read models to roles.
        database.execute(readRoles());
        return database;
    }

    /**
     * Another service's schema, by that service's real migrations as it runs them at its start:
     * for tests of a service that reads the other's published views.
     */
    public TestDatabase withMigrationsOf(String service, String schema) {
        Flyway.configure()
                .dataSource(url(), user(), password())
                .schemas(schema)
                .defaultSchema(schema)
                .locations("filesystem:" + RepoPaths.root().resolve(service).resolve("src/main/resources/db/migration"))
                .load()
                .migrate();
        return this;
    }

    /** Points a service's data source ({@code vla.db.*}) at this database. */
    public void registerWith(DynamicPropertyRegistry registry) {
        registry.add("vla.db.url", this::url);
        registry.add("vla.db.user", this::user);
        registry.add("vla.db.password", this::password);
    }

    public String name() {
        return name;
    }

    public String url() {
        return url;
    }

    public String user() {
        return ADMIN_USER;
    }

    public String password() {
        return ADMIN_PASSWORD;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, ADMIN_USER, ADMIN_PASSWORD);
    }

    /** For assertions; independent of the application's pool, so it works before it started and after it closed. */
    public JdbcTemplate jdbc() {
        return new JdbcTemplate(new SimpleDriverDataSource(new org.postgresql.Driver(), url, ADMIN_USER, ADMIN_PASSWORD));
    }

    /** Runs {@code sql} in this database as the admin user. */
    public void execute(String sql) {
        execute(url, sql);
    }

    /**
     * For an application under test: drops the database when the application stops. The lowest
     * phase stops last, after the application's own components (a request log, say) have drained
     * into the database.
     */
    public SmartLifecycle dropWhenApplicationStops() {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                running = true;
            }

            @Override
            public void stop() {
                running = false;
                drop();
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                return Integer.MIN_VALUE;
            }
        };
    }

    /** Idempotent; ends the sessions still connected. */
    public void drop() {
        execute(ADMIN_URL, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private void execute(String jdbcUrl, String sql) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, ADMIN_USER, ADMIN_PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test database " + name + ": " + sql + " failed: " + e.getMessage()
                    + " (is PostgreSQL running? deploy/scripts/postgres.sh starts it)", e);
        }
    }

    private static String readRoles() {
        try {
            return Files.readString(RepoPaths.root().resolve("deploy/postgres/roles.sql"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
