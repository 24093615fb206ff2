package com.vlaapi.customer.portal.account;

import com.vlaapi.servicecontract.error.ApiException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.OptionalLong;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A user's optional second factor: an authenticator app's codes (TOTP). Turned on only with a
 * code the app made from the new secret, so a mistyped secret cannot lock anyone out; turned off
 * only with a current code.
 */
@Service
public class SecondFactor {

    private final PortalUsers users;
    private final Clock clock;

    SecondFactor(PortalUsers users, Clock clock) {
        this.users = users;
        this.clock = clock;
    }

    public String newSecret() {
        return Totp.newSecret();
    }

    /** What authenticator apps read (as a QR code or pasted): the account and the secret. */
    public URI enrollmentUri(PortalUser user, String secret) {
        String label = URLEncoder.encode("VLA API:" + user.email(), StandardCharsets.UTF_8).replace("+", "%20");
        return URI.create("otpauth://totp/" + label + "?secret=" + secret + "&issuer=VLA%20API");
    }

    @Transactional
    public void turnOn(PortalUser user, String secret, String code) {
        if (secret == null || !secret.matches("[A-Z2-7]{32}")) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_secret", "Start again: the secret was changed.");
        }
        OptionalLong step = Totp.matchingStep(secret, code, Totp.step(clock.instant().getEpochSecond()));
        if (step.isEmpty()) {
            throw wrongCode();
        }
        users.setSecondFactor(user.userId(), secret, step.getAsLong());
    }

    @Transactional
    public void turnOff(PortalUser user, String code) {
        var credentials = users.credentialsForUpdate(user.userId()).orElseThrow();
        if (credentials.totpSecret() == null) {
            return;
        }
        if (Totp.matchingStep(credentials.totpSecret(), code, Totp.step(clock.instant().getEpochSecond())).isEmpty()) {
            throw wrongCode();
        }
        users.setSecondFactor(user.userId(), null, null);
    }

    private static ApiException wrongCode() {
        return new ApiException(HttpStatus.BAD_REQUEST, "wrong_code",
                "That code is not the app's current one. Check the time on your phone, then try the next code.");
    }
}
