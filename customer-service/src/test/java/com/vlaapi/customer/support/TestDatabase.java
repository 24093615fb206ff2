package com.vlaapi.customer.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A throwaway database on the real PostgreSQL server: CI shares the server with other test runs,
 * so each test class works in its own database and drops it afterwards.
 */
public final class TestDatabase {

    private static final String SERVER_URL =
            Objects.requireNonNullElse(System.getenv("VLA_TEST_DB_SERVER_URL"), "jdbc:postgresql://127.0.0.1:5432/");
    private static final String SUPERUSER = Objects.requireNonNullElse(System.getenv("VLA_TEST_DB_SUPERUSER"), "postgres");
    private static final String SUPERUSER_PASSWORD =
            Objects.requireNonNullElse(System.getenv("VLA_TEST_DB_SUPERUSER_PASSWORD"), "");

    private final String name;

    private TestDatabase(String name) {
        this.name = name;
    }

    public static TestDatabase create() {
        byte[] suffix = new byte[4];
        ThreadLocalRandom.current().nextBytes(suffix);
        TestDatabase database = new TestDatabase("customer_test_" + HexFormat.of().formatHex(suffix));
        database.executeAsSuperuser("CREATE DATABASE " + database.name);
        return database;
    }

    public String jdbcUrl() {
        return SERVER_URL + name;
    }

    public String username() {
        return SUPERUSER;
    }

    public String password() {
        return SUPERUSER_PASSWORD;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), SUPERUSER, SUPERUSER_PASSWORD);
    }

    public void drop() {
        executeAsSuperuser("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
        executeAsSuperuser("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private void executeAsSuperuser(String sql) {
        try (Connection connection = DriverManager.getConnection(SERVER_URL + "postgres", SUPERUSER, SUPERUSER_PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not run `" + sql + "` on " + SERVER_URL
                    + " (is PostgreSQL running? deploy/scripts/postgres.sh starts it)", e);
        }
    }
}
