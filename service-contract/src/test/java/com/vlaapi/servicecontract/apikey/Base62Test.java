package com.vlaapi.servicecontract.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base62Test {

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    @Test
    void encodesKnownValues() {
        assertThat(Base62.encode(new byte[0])).isEmpty();
        assertThat(Base62.encode(new byte[] {0})).isEqualTo("00");
        assertThat(Base62.encode(new byte[] {9})).isEqualTo("09");
        assertThat(Base62.encode(new byte[] {10})).isEqualTo("0A");
        assertThat(Base62.encode(new byte[] {61})).isEqualTo("0z");
        assertThat(Base62.encode(new byte[] {62})).isEqualTo("10");
        assertThat(Base62.encode(new byte[] {(byte) 255})).isEqualTo("47");
        assertThat(Base62.encode(new byte[] {1, 0})).isEqualTo("048"); // 256 = 4*62 + 8
    }

    @Test
    void thirtyTwoBytesAlwaysGiveFortyThreeCharacters() {
        byte[] zeros = new byte[32];
        byte[] ones = new byte[32];
        Arrays.fill(ones, (byte) 0xFF);

        assertThat(Base62.encode(zeros)).isEqualTo("0".repeat(43));
        assertThat(Base62.encode(ones)).hasSize(43).matches("[0-9A-Za-z]+");
    }

    @Test
    void decodingGivesBackTheBytes() {
        Random random = new Random(42);
        for (int i = 0; i < 1000; i++) {
            byte[] bytes = new byte[1 + random.nextInt(40)];
            random.nextBytes(bytes);

            assertThat(decode(Base62.encode(bytes))).isEqualTo(new BigInteger(1, bytes));
        }
    }

    private static BigInteger decode(String digits) {
        BigInteger value = BigInteger.ZERO;
        for (char digit : digits.toCharArray()) {
            value = value.multiply(BigInteger.valueOf(62)).add(BigInteger.valueOf(ALPHABET.indexOf(digit)));
        }
        return value;
    }
}
