package com.vlaapi.customer.portal.account;

import com.vlaapi.customer.portal.PortalProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Checks an email and password, then, for a user who turned it on, the authenticator's code. After
 * {@code free-sign-in-failures} wrong passwords or codes in a row, each further attempt must wait:
 * 1 s after the first extra failure, doubling up to {@code max-sign-in-delay}, and an attempt during
 * the wait is refused without checking anything, so guessing costs the guesser time, not us CPU. A
 * complete sign-in resets the count.
 */
@Service
public class SignIn {

    private static final Logger log = LoggerFactory.getLogger(SignIn.class);

    private final PortalUsers users;
    private final PasswordEncoder passwords;
    private final PortalProperties properties;
    private final Clock clock;
    /** Checked against when the email is unknown, so the time taken does not tell which emails exist. */
    private final String unknownUserHash;

    SignIn(PortalUsers users, PasswordEncoder passwords, PortalProperties properties, Clock clock) {
        this.users = users;
        this.passwords = passwords;
        this.properties = properties;
        this.clock = clock;
        this.unknownUserHash = passwords.encode("not the password of anyone");
    }

    @Transactional
    public SignInResult attempt(String email, String password) {
        if (email == null || email.isBlank() || email.length() > 320 || password == null
                || password.length() > 4 * Team.MAX_PASSWORD_BYTES) {
            return new SignInResult.Refused();
        }
        var stored = users.credentialsForUpdate(email.strip());
        if (stored.isEmpty() || stored.get().passwordHash() == null) {
            passwords.matches(password, unknownUserHash);
            return new SignInResult.Refused();
        }
        var credentials = stored.get();
        Instant now = clock.instant();
        if (blocked(credentials, now)) {
            return new SignInResult.SlowedDown(Duration.between(now, credentials.blockedUntil()));
        }
        if (!passwords.matches(password, credentials.passwordHash())) {
            return failed(credentials, now);
        }
        if (credentials.totpSecret() != null) {
            return new SignInResult.NeedsCode(credentials.user());
        }
        users.recordSuccess(credentials.user().userId());
        return new SignInResult.SignedIn(credentials.user());
    }

    /**
     * The second step, for a user whose password was right: the code of now's time step (or a
     * neighbour's), each code once. A wrong code counts like a wrong password.
     */
    @Transactional
    public SignInResult attemptCode(UUID userId, String code) {
        var stored = users.credentialsForUpdate(userId);
        if (stored.isEmpty() || stored.get().totpSecret() == null) {
            return new SignInResult.Refused();
        }
        var credentials = stored.get();
        Instant now = clock.instant();
        if (blocked(credentials, now)) {
            return new SignInResult.SlowedDown(Duration.between(now, credentials.blockedUntil()));
        }
        OptionalLong step = Totp.matchingStep(credentials.totpSecret(), code, Totp.step(now.getEpochSecond()));
        if (step.isEmpty() || (credentials.totpLastStep() != null && step.getAsLong() <= credentials.totpLastStep())) {
            return failed(credentials, now);
        }
        users.recordCodeUsed(userId, step.getAsLong());
        users.recordSuccess(userId);
        return new SignInResult.SignedIn(credentials.user());
    }

    private static boolean blocked(PortalUsers.Credentials credentials, Instant now) {
        return credentials.blockedUntil() != null && now.isBefore(credentials.blockedUntil());
    }

    private SignInResult failed(PortalUsers.Credentials credentials, Instant now) {
        int failures = credentials.failedSignIns() + 1;
        Duration wait = delayAfter(failures);
        users.recordFailure(credentials.user().userId(), failures, wait.isZero() ? null : now.plus(wait));
        if (!wait.isZero()) {
            log.warn("Portal user {}: {} failed sign-ins in a row; next attempt in {} s",
                    credentials.user().userId(), failures, wait.toSeconds());
        }
        return new SignInResult.Refused();
    }

    Duration delayAfter(int failures) {
        int extra = failures - properties.freeSignInFailures();
        if (extra <= 0) {
            return Duration.ZERO;
        }
        Duration max = properties.maxSignInDelay();
        if (extra > 30) {
            return max;
        }
        Duration wait = Duration.ofSeconds(1L << (extra - 1));
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
