package com.vlaapi.inference.contract;

import com.vlaapi.servicecontract.error.ApiException;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A frame's {@code image} as {@code POST /v1/inference} reads {@code image}: standard or URL-safe
 * base64, padded or not, line breaks allowed, bare or as a {@code data:image/...;base64,} URL;
 * errors name the frame's field.
 */
final class FrameImage {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private FrameImage() {
    }

    static byte[] decode(String value, String field) {
        String payload = value;
        if (payload.regionMatches(true, 0, "data:", 0, 5)) {
            int comma = payload.indexOf(',');
            if (comma < 7 || !payload.regionMatches(true, comma - 7, ";base64", 0, 7)) {
                throw invalid("Field '" + field + "' is a data URL but not a base64 one (data:image/png;base64,...).");
            }
            payload = payload.substring(comma + 1);
        }
        payload = WHITESPACE.matcher(payload).replaceAll("");
        boolean urlSafe = payload.indexOf('-') >= 0 || payload.indexOf('_') >= 0;
        try {
            return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(payload);
        } catch (IllegalArgumentException e) {
            throw invalid("Field '" + field + "' is not valid base64 (standard or URL-safe alphabet).");
        }
    }

    private static ApiException invalid(String message) {
        return new ApiException(PublicErrorCode.INVALID_BASE64.error(message));
    }
}
