package com.vlaapi.customer.portal.account;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The portal_users table. Every lookup but sign-in's is scoped to a customer. */
@Repository
class PortalUsers {

    /** The stored state sign-in needs, which nothing else may see. */
    record Credentials(PortalUser user, String passwordHash, int failedSignIns, Instant blockedUntil,
                       String totpSecret, Long totpLastStep) {
    }

    private static final String COLUMNS = "user_id, customer_id, email, role, password_hash IS NOT NULL AS active,"
            + " invited_at, totp_secret IS NOT NULL AS second_factor";
    private static final String CREDENTIALS = ", password_hash, failed_sign_ins, sign_in_blocked_until, totp_secret,"
            + " totp_last_step";

    private final JdbcTemplate jdbc;

    PortalUsers(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    UUID insert(UUID customerId, String email, PortalRole role, Instant now) {
        return jdbc.queryForObject("""
                INSERT INTO portal_users (customer_id, email, role, invited_at) VALUES (?, ?, ?, ?)
                RETURNING user_id""", UUID.class, customerId, email, role.id(), Timestamp.from(now));
    }

    Optional<PortalUser> find(UUID customerId, UUID userId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM portal_users WHERE customer_id = ? AND user_id = ?",
                PortalUsers::user, customerId, userId).stream().findFirst();
    }

    Optional<PortalUser> findById(UUID userId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM portal_users WHERE user_id = ?", PortalUsers::user, userId)
                .stream().findFirst();
    }

    List<PortalUser> list(UUID customerId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM portal_users WHERE customer_id = ? ORDER BY lower(email)",
                PortalUsers::user, customerId);
    }

    /** Locks the row: concurrent wrong passwords must each count. */
    Optional<Credentials> credentialsForUpdate(String email) {
        return jdbc.query("SELECT " + COLUMNS + CREDENTIALS + " FROM portal_users WHERE lower(email) = lower(?) FOR UPDATE",
                PortalUsers::credentials, email).stream().findFirst();
    }

    Optional<Credentials> credentialsForUpdate(UUID userId) {
        return jdbc.query("SELECT " + COLUMNS + CREDENTIALS + " FROM portal_users WHERE user_id = ? FOR UPDATE",
                PortalUsers::credentials, userId).stream().findFirst();
    }

    void setSecondFactor(UUID userId, String totpSecret, Long lastStep) {
        jdbc.update("UPDATE portal_users SET totp_secret = ?, totp_last_step = ? WHERE user_id = ?", totpSecret,
                lastStep, userId);
    }

    void recordCodeUsed(UUID userId, long step) {
        jdbc.update("UPDATE portal_users SET totp_last_step = ? WHERE user_id = ?", step, userId);
    }

    void recordFailure(UUID userId, int failedSignIns, Instant blockedUntil) {
        jdbc.update("UPDATE portal_users SET failed_sign_ins = ?, sign_in_blocked_until = ? WHERE user_id = ?",
                failedSignIns, blockedUntil == null ? null : Timestamp.from(blockedUntil), userId);
    }

    void recordSuccess(UUID userId) {
        jdbc.update("UPDATE portal_users SET failed_sign_ins = 0, sign_in_blocked_until = NULL WHERE user_id = ?",
                userId);
    }

    void setPassword(UUID userId, String passwordHash) {
        jdbc.update("""
                UPDATE portal_users SET password_hash = ?, failed_sign_ins = 0, sign_in_blocked_until = NULL
                WHERE user_id = ?""", passwordHash, userId);
    }

    long countAdmins(UUID customerId) {
        return jdbc.queryForObject("SELECT count(*) FROM portal_users WHERE customer_id = ? AND role = 'admin'",
                Long.class, customerId);
    }

    boolean delete(UUID customerId, UUID userId) {
        return jdbc.update("DELETE FROM portal_users WHERE customer_id = ? AND user_id = ?", customerId, userId) == 1;
    }

    private static PortalUser user(ResultSet rs, int row) throws SQLException {
        return new PortalUser(rs.getObject("user_id", UUID.class), rs.getObject("customer_id", UUID.class),
                rs.getString("email"), PortalRole.parse(rs.getString("role")), rs.getBoolean("active"),
                instant(rs, "invited_at"), rs.getBoolean("second_factor"));
    }

    private static Credentials credentials(ResultSet rs, int row) throws SQLException {
        long lastStep = rs.getLong("totp_last_step");
        return new Credentials(user(rs, row), rs.getString("password_hash"), rs.getInt("failed_sign_ins"),
                instant(rs, "sign_in_blocked_until"), rs.getString("totp_secret"), rs.wasNull() ? null : lastStep);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp time = rs.getTimestamp(column);
        return time == null ? null : time.toInstant();
    }
}
