package com.vlaapi.servicecontract.apikey;

import java.math.BigInteger;

/** Base62 (0-9, A-Z, a-z): compact, URL-safe and double-click-selectable, unlike Base64. */
final class Base62 {

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(ALPHABET.length());

    private Base62() {
    }

    /**
     * Encodes the bytes as an unsigned big-endian number, left-padded with '0' to the width that
     * the largest value of this many bytes needs: equal-length inputs give equal-length outputs.
     */
    static String encode(byte[] bytes) {
        BigInteger value = new BigInteger(1, bytes);
        char[] digits = new char[widthFor(bytes.length)];
        for (int i = digits.length - 1; i >= 0; i--) {
            BigInteger[] quotientAndRemainder = value.divideAndRemainder(BASE);
            digits[i] = ALPHABET.charAt(quotientAndRemainder[1].intValue());
            value = quotientAndRemainder[0];
        }
        return new String(digits);
    }

    private static int widthFor(int byteCount) {
        BigInteger largest = BigInteger.ONE.shiftLeft(8 * byteCount).subtract(BigInteger.ONE);
        int width = 0;
        for (BigInteger rest = largest; rest.signum() > 0; rest = rest.divide(BASE)) {
            width++;
        }
        return width;
    }
}
