package com.vlaapi.customer.portal.account;

import com.vlaapi.customer.customer.CustomerService;
import com.vlaapi.customer.portal.PortalProperties;
import com.vlaapi.servicecontract.apikey.ApiKeyHashes;
import com.vlaapi.servicecontract.error.ApiException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A customer's portal users: invited by an operator (admin API, {@code bin/vla invite}) or by one of
 * the customer's admins, activated by setting a password through the invitation's one-time link.
 */
@Service
public class Team {

    public static final int MIN_PASSWORD_LENGTH = 12;
    /** BCrypt reads 72 bytes; a longer password would silently be cut. */
    public static final int MAX_PASSWORD_BYTES = 72;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,190}\\.[^@\\s]{1,60}");
    private static final Logger log = LoggerFactory.getLogger(Team.class);

    private final PortalUsers users;
    private final CustomerService customers;
    private final PasswordEncoder passwords;
    private final PortalProperties properties;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    Team(PortalUsers users, CustomerService customers, PasswordEncoder passwords, PortalProperties properties,
         JdbcTemplate jdbc, Clock clock) {
        this.users = users;
        this.customers = customers;
        this.passwords = passwords;
        this.properties = properties;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional
    public Invitation invite(UUID customerId, String email, String role) {
        String address = email == null ? "" : email.strip();
        if (!EMAIL.matcher(address).matches()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_email", "email must be an email address.");
        }
        PortalRole portalRole = role == null || role.isBlank() ? PortalRole.VIEWER : PortalRole.parse(role);
        if (portalRole == null) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_role", "role must be viewer or admin.");
        }
        customers.requireExists(customerId);
        Instant now = now();
        UUID userId;
        try {
            userId = users.insert(customerId, address, portalRole, now);
        } catch (DuplicateKeyException e) {
            throw new ApiException(HttpStatus.CONFLICT, "email_taken", "A portal user with email " + address
                    + " already exists.");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant expiresAt = now.plus(properties.invitationTtl());
        jdbc.update("INSERT INTO portal_invitations (token_hash, user_id, expires_at) VALUES (?, ?, ?)",
                ApiKeyHashes.sha256Hex(token), userId, Timestamp.from(expiresAt));
        log.info("Invited portal user {} ({}) to customer {}", userId, portalRole.id(), customerId);
        PortalUser user = users.find(customerId, userId).orElseThrow();
        return new Invitation(user, link(token), expiresAt);
    }

    @Transactional(readOnly = true)
    public List<PortalUser> list(UUID customerId) {
        customers.requireExists(customerId);
        return users.list(customerId);
    }

    /** The user as stored now: empty once removed, so a removed user's open session ends. */
    @Transactional(readOnly = true)
    public Optional<PortalUser> find(UUID customerId, UUID userId) {
        return users.find(customerId, userId).filter(PortalUser::active);
    }

    /** A customer keeps at least one admin: otherwise nobody could manage its keys and users again. */
    @Transactional
    public void remove(UUID customerId, UUID userId) {
        PortalUser user = users.find(customerId, userId).orElseThrow(() -> userNotFound(userId));
        if (user.isAdmin() && users.countAdmins(customerId) == 1) {
            throw new ApiException(HttpStatus.CONFLICT, "last_admin",
                    "This is the customer's only admin; make another user admin first.");
        }
        users.delete(customerId, userId);
        log.info("Removed portal user {} of customer {}", userId, customerId);
    }

    /** Who the link is for, while it can still be used; empty for an unknown, used or expired link. */
    @Transactional(readOnly = true)
    public Optional<PortalUser> invitee(String token) {
        return jdbc.query("""
                        SELECT user_id FROM portal_invitations
                        WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?""",
                        (rs, row) -> rs.getObject(1, UUID.class), ApiKeyHashes.sha256Hex(token), Timestamp.from(now()))
                .stream().findFirst().flatMap(users::findById);
    }

    /** Sets the invitee's password and uses the link up. */
    @Transactional
    public PortalUser acceptInvitation(String token, String password) {
        requireGoodPassword(password);
        List<UUID> invitee = jdbc.query("""
                        UPDATE portal_invitations SET used_at = ?
                        WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING user_id""",
                (rs, row) -> rs.getObject(1, UUID.class), Timestamp.from(now()), ApiKeyHashes.sha256Hex(token),
                Timestamp.from(now()));
        if (invitee.isEmpty()) {
            throw new ApiException(HttpStatus.NOT_FOUND, "invitation_not_found",
                    "This link is unknown, used or expired. Ask your admin for a new invitation.");
        }
        users.setPassword(invitee.get(0), passwords.encode(password));
        return users.findById(invitee.get(0)).orElseThrow();
    }

    static void requireGoodPassword(String password) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_PASSWORD_LENGTH) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "weak_password",
                    "The password must have at least " + MIN_PASSWORD_LENGTH + " characters.");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "password_too_long",
                    "The password must be at most " + MAX_PASSWORD_BYTES + " bytes long.");
        }
    }

    private URI link(String token) {
        String base = properties.publicUrl().toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + "/portal/invitations/" + token);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static ApiException userNotFound(UUID userId) {
        return new ApiException(HttpStatus.NOT_FOUND, "portal_user_not_found", "No portal user " + userId + ".");
    }
}
