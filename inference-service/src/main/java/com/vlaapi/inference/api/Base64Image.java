package com.vlaapi.inference.api;

import com.vlaapi.servicecontract.error.ApiException;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Decodes an image field the way clients actually send it: standard or URL-safe alphabet, padded
 * or not, line-wrapped or not (Python's {@code base64.encodebytes}), bare or as a
 * {@code data:image/png;base64,...} URL. Anything else is {@code invalid_base64}, naming the field.
 * {@code POST /v1/inference}'s {@code image} and the parity check's frames read their images alike.
 */
public final class Base64Image {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private Base64Image() {
    }

    /** The request's {@code image}. */
    static byte[] decode(String value) {
        return decode(value, "image");
    }

    /** {@code value}, the request's field {@code field}. */
    public static byte[] decode(String value, String field) {
        String payload = stripDataUrl(value, field);
        if (WHITESPACE.matcher(payload).find()) {
            payload = WHITESPACE.matcher(payload).replaceAll("");
        }
        boolean urlSafe = payload.indexOf('-') >= 0 || payload.indexOf('_') >= 0;
        try {
            return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(payload);
        } catch (IllegalArgumentException e) {
            throw invalid("Field '" + field + "' is not valid base64 (standard or URL-safe alphabet).");
        }
    }

    private static String stripDataUrl(String value, String field) {
        if (!value.regionMatches(true, 0, "data:", 0, 5)) {
            return value;
        }
        int comma = value.indexOf(',');
        if (comma < 7 || !value.regionMatches(true, comma - 7, ";base64", 0, 7)) {
            throw invalid("Field '" + field + "' is a data URL but not a base64 one (data:image/png;base64,...).");
        }
        return value.substring(comma + 1);
    }

    private static ApiException invalid(String message) {
        return new ApiException(PublicErrorCode.INVALID_BASE64.error(message));
    }
}
