package com.vlaapi.inference.api;

import com.vlaapi.servicecontract.error.ApiException;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * An array in {@code json_numpy}'s encoding, the one OpenVLA's clients send:
 * {@code {"__numpy__": "<base64 of the C-ordered bytes>", "dtype": "|u1", "shape": [h, w, 3]}}.
 */
final class NumpyArray {

    private static final String DATA = "__numpy__";

    private NumpyArray() {
    }

    /**
     * The pixels of an RGB image array: dtype uint8, shape [height, width, 3].
     *
     * @param maxSide   the longest side accepted, checked before the data is decoded
     * @param maxPixels the most pixels accepted, width times height
     */
    static RgbPixels rgbImage(JsonNode field, String name, int maxSide, long maxPixels) {
        if (field == null || !field.isObject() || !field.has(DATA)) {
            throw invalid("Field '" + name + "' must be a json_numpy array: {\"__numpy__\": base64, \"dtype\": \"|u1\", "
                    + "\"shape\": [height, width, 3]}.");
        }
        String dtype = field.path("dtype").asString("");
        if (!dtype.equals("|u1") && !dtype.equals("<u1") && !dtype.equals("uint8")) {
            throw invalid("Field '" + name + "' must have dtype uint8 (\"|u1\"): pixels 0-255; it has \"" + shortened(dtype) + "\".");
        }
        JsonNode shape = field.path("shape");
        if (!shape.isArray() || shape.size() != 3 || !shape.get(0).isIntegralNumber() || !shape.get(1).isIntegralNumber()
                || shape.get(2).asInt() != 3) {
            throw invalid("Field '" + name + "' must have shape [height, width, 3]: one RGB image.");
        }
        long height = shape.get(0).asLong();
        long width = shape.get(1).asLong();
        if (height < 1 || width < 1 || height > maxSide || width > maxSide || height * width > maxPixels) {
            throw invalid("Field '" + name + "' must be between 1 and " + maxSide + " pixels on each side and at most "
                    + maxPixels + " pixels in all.");
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(field.path(DATA).asString(""));
        } catch (IllegalArgumentException e) {
            throw new ApiException(PublicErrorCode.INVALID_BASE64.error("Field '" + name + "' holds data that is not base64."));
        }
        if (data.length != height * width * 3) {
            throw invalid("Field '" + name + "' has " + data.length + " bytes of data; shape [" + height + ", " + width
                    + ", 3] needs " + height * width * 3 + ".");
        }
        return new RgbPixels((int) width, (int) height, data);
    }

    /** A float64 vector, as OpenVLA's server returns its action. */
    static Map<String, Object> float64(double[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (double value : values) {
            bytes.putDouble(value);
        }
        Map<String, Object> array = new LinkedHashMap<>();
        array.put(DATA, Base64.getEncoder().encodeToString(bytes.array()));
        array.put("dtype", "<f8");
        array.put("shape", List.of(values.length));
        return array;
    }

    /** RGB bytes, row by row from the top, three per pixel. */
    record RgbPixels(int width, int height, byte[] rgb) {
    }

    private static String shortened(String text) {
        return text.length() <= 20 ? text : text.substring(0, 20) + "...";
    }

    private static ApiException invalid(String message) {
        return new ApiException(PublicErrorCode.INVALID_FIELD_VALUE.error(message));
    }
}
