package com.vlaapi.servicecontract.settings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * {@code vla.db.*}: the PostgreSQL database customer-, inference- and billing-service share (each
 * in its own schema). Spring Boot connects through this record, the application's
 * {@link JdbcConnectionDetails}, so {@code spring.datasource.url} and its credentials are not read.
 *
 * @param url      JDBC URL of the database
 * @param user     role the services connect as
 * @param password that role's password
 */
@ConfigurationProperties("vla.db")
public record DatabaseProperties(
        @DefaultValue("jdbc:postgresql://127.0.0.1:5432/vlaapi") String url,
        @DefaultValue("vlaapi") String user,
        @DefaultValue("vlaapi") String password) implements JdbcConnectionDetails {

    @Override
    public String getJdbcUrl() {
        return url;
    }

    @Override
    public String getUsername() {
        return user;
    }

    @Override
    public String getPassword() {
        return password;
    }

    /** Keeps the password out of logs and failure analyses that print bound properties. */
    @Override
    public String toString() {
        return "DatabaseProperties[url=" + url + ", user=" + user + ", password=<redacted>]";
    }
}
