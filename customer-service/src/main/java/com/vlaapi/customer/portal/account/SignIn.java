package com.vlaapi.customer.portal.account;

import com.vlaapi.customer.portal.PortalProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Checks an email and password. After {@code free-sign-in-failures} wrong passwords in a row, each
 * further attempt must wait: 1 s after the first extra failure, doubling up to
 * {@code max-sign-in-delay}, and an attempt during the wait is refused without checking the password,
 * so guessing costs the guesser time, not us CPU. A success resets the count.
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
        if (credentials.blockedUntil() != null && now.isBefore(credentials.blockedUntil())) {
            return new SignInResult.SlowedDown(Duration.between(now, credentials.blockedUntil()));
        }
        if (!passwords.matches(password, credentials.passwordHash())) {
            int failures = credentials.failedSignIns() + 1;
            Duration wait = delayAfter(failures);
            users.recordFailure(credentials.user().userId(), failures, wait.isZero() ? null : now.plus(wait));
            if (!wait.isZero()) {
                log.warn("Portal user {}: {} wrong passwords in a row; next attempt in {} s",
                        credentials.user().userId(), failures, wait.toSeconds());
            }
            return new SignInResult.Refused();
        }
        users.recordSuccess(credentials.user().userId());
        return new SignInResult.SignedIn(credentials.user());
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
