package com.vlaapi.inference.support;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A throw-away database on the machine's real PostgreSQL (CI shares the server, so every test
 * class gets its own): created with pgvector through the superuser, dropped afterwards.
 * {@code VLA_TEST_DB_ADMIN_URL} / {@code VLA_TEST_DB_ADMIN_USER} point it at another server.
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
        TestDatabase database = new TestDatabase("inference_test_" + HexFormat.of().formatHex(suffix));
        database.execute(ADMIN_URL, "CREATE DATABASE " + database.name);
        // A safety net for a test that dies before its own clean-up; dropping twice is harmless.
        Runtime.getRuntime().addShutdownHook(new Thread(database::drop));
        database.execute(database.url, "CREATE EXTENSION IF NOT EXISTS vector");
        return database;
    }

    public void registerWith(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", this::url);
        registry.add("spring.datasource.username", this::user);
        registry.add("spring.datasource.password", this::password);
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

    /** For assertions; independent of the application's pool, so it works after the app closed. */
    public JdbcTemplate jdbc() {
        return new JdbcTemplate(new SimpleDriverDataSource(new org.postgresql.Driver(), url, ADMIN_USER, ADMIN_PASSWORD));
    }

    /**
     * For the application under test: drops the database when the application stops. The lowest
     * phase stops last, after the request log has drained into the database.
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

    public void drop() {
        execute(ADMIN_URL, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private void execute(String jdbcUrl, String sql) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, ADMIN_USER, ADMIN_PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test database " + name + ": " + sql + " failed: " + e.getMessage(), e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
