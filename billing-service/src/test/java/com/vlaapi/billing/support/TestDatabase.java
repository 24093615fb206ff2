package com.vlaapi.billing.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * A throw-away database on the machine's real PostgreSQL (CI shares the server, so every test
 * class gets its own), laid out like production: pgvector, customer-service's and
 * inference-service's own migrations (billing's views read their tables), and the search_path
 * operators get (reporting first). Dropped afterwards. {@code VLA_TEST_DB_ADMIN_URL} /
 * {@code VLA_TEST_DB_ADMIN_USER} / {@code VLA_TEST_DB_ADMIN_PASSWORD} point it at another server.
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

    public static TestDatabase create() {
        byte[] suffix = new byte[4];
        new SecureRandom().nextBytes(suffix);
        TestDatabase database = new TestDatabase("billing_test_" + HexFormat.of().formatHex(suffix));
        database.execute(ADMIN_URL, "CREATE DATABASE " + database.name);
        // A safety net for a test that dies before its own clean-up; dropping twice is harmless.
        Runtime.getRuntime().addShutdownHook(new Thread(database::drop));
        database.execute(ADMIN_URL, "ALTER DATABASE " + database.name + " SET search_path = reporting, \"$user\", public");
        database.execute(database.url, "CREATE EXTENSION IF NOT EXISTS vector");
        database.migrate("customer", "customer-service");
        database.migrate("inference", "inference-service");
        return database;
    }

    /** The sibling service's real migrations, as that service would run them at its start. */
    private void migrate(String schema, String service) {
        Path migrations = repoRoot().resolve(service).resolve("src/main/resources/db/migration");
        Flyway.configure()
                .dataSource(url, ADMIN_USER, ADMIN_PASSWORD)
                .schemas(schema)
                .defaultSchema(schema)
                .locations("filesystem:" + migrations)
                .load()
                .migrate();
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

    /** Independent of the application's pool, so it works before the app started or after it closed. */
    public JdbcTemplate jdbc() {
        return new JdbcTemplate(new SimpleDriverDataSource(new org.postgresql.Driver(), url, ADMIN_USER, ADMIN_PASSWORD));
    }

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

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
