package com.vlaapi.servicecontract.settings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * {@code vla.db.*}: the PostgreSQL database customer-, inference- and billing-service share, each
 * in its own schema and as a role of its own (deploy/postgres/roles.sql), which owns that schema and
 * may read only the views the others grant it. Spring Boot connects through
 * {@link #connectionDetails(String)}, so {@code spring.datasource.url} and its credentials are not read.
 *
 * @param url      JDBC URL of the database
 * @param user     role the service connects as; empty: the service's own role
 * @param password that role's password; empty: none (a server that trusts local connections)
 */
@ConfigurationProperties("vla.db")
public record DatabaseProperties(
        @DefaultValue("jdbc:postgresql://127.0.0.1:5432/vlaapi") String url,
        String user,
        String password) {

    /** How the service whose own database role is {@code ownRole} connects. */
    public JdbcConnectionDetails connectionDetails(String ownRole) {
        String role = user == null || user.isBlank() ? ownRole : user;
        return new JdbcConnectionDetails() {
            @Override
            public String getJdbcUrl() {
                return url;
            }

            @Override
            public String getUsername() {
                return role;
            }

            @Override
            public String getPassword() {
                return password == null || password.isEmpty() ? null : password;
            }
        };
    }

    /** Keeps the password out of logs and failure analyses that print bound properties. */
    @Override
    public String toString() {
        return "DatabaseProperties[url=" + url + ", user=" + user + ", password=<redacted>]";
    }
}
