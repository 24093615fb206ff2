package com.vlaapi.customer.portal.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TotpTest {

    /** RFC 6238's SHA-1 test key, "12345678901234567890". */
    private static final String RFC_SECRET = Totp.base32("12345678901234567890".getBytes(StandardCharsets.US_ASCII));

    @Test
    void codesAreRfc6238sTestVectorsLastSixDigits() {
        byte[] key = Totp.unbase32(RFC_SECRET);
        assertThat(Totp.code(key, Totp.step(59))).isEqualTo("287082");
        assertThat(Totp.code(key, Totp.step(1111111109))).isEqualTo("081804");
        assertThat(Totp.code(key, Totp.step(1234567890))).isEqualTo("005924");
        assertThat(Totp.code(key, Totp.step(2000000000))).isEqualTo("279037");
    }

    @Test
    void aCodeOfTheStepBeforeOrAfterIsAcceptedAndNoOther() {
        long now = Totp.step(1_800_000_000L);
        byte[] key = Totp.unbase32(RFC_SECRET);

        assertThat(Totp.matchingStep(RFC_SECRET, Totp.code(key, now - 1), now)).hasValue(now - 1);
        assertThat(Totp.matchingStep(RFC_SECRET, Totp.code(key, now), now)).hasValue(now);
        assertThat(Totp.matchingStep(RFC_SECRET, Totp.code(key, now + 1), now)).hasValue(now + 1);
        assertThat(Totp.matchingStep(RFC_SECRET, Totp.code(key, now - 2), now)).isEmpty();
        assertThat(Totp.matchingStep(RFC_SECRET, "12345", now)).isEmpty();
        assertThat(Totp.matchingStep(RFC_SECRET, "abcdef", now)).isEmpty();
    }

    @Test
    void base32RoundTripsAndNewSecretsDiffer() {
        String secret = Totp.newSecret();
        assertThat(secret).hasSize(32).matches("[A-Z2-7]+");
        assertThat(Totp.base32(Totp.unbase32(secret))).isEqualTo(secret);
        assertThat(Totp.newSecret()).isNotEqualTo(secret);
    }
}
