package com.vlaapi.inference.api;

import com.vlaapi.servicecontract.error.ApiException;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import java.util.Map;

/**
 * Which camera images a request carries, checked against what the models take: every model served
 * today sees through one camera, "primary" ({@code image} is short for {@code images.primary}).
 * Checked before anything is decoded.
 */
final class CameraImages {

    static final String PRIMARY = "primary";

    private CameraImages() {
    }

    /** The base64 image of the primary camera. */
    static String primary(InferenceRequestBody body) {
        Map<String, String> images = body.images();
        if (body.image() != null && images != null) {
            throw invalid("Send the camera image as 'image' or as 'images': {\"primary\": ...}, not both.");
        }
        if (images == null) {
            if (body.image() == null) {
                throw new ApiException(PublicErrorCode.MISSING_IMAGE.error(
                        "Field 'image' is required: the camera image as base64 PNG or JPEG "
                                + "(or 'images': {\"primary\": ...})."));
            }
            return body.image();
        }
        for (String camera : images.keySet()) {
            if (!PRIMARY.equals(camera)) {
                throw invalid("Field 'images' names camera '" + abbreviated(camera) + "', which the model does not take; "
                        + "its cameras: primary (see GET /v1/models/{id}).");
            }
        }
        String primary = images.get(PRIMARY);
        if (primary == null) {
            throw new ApiException(PublicErrorCode.MISSING_IMAGE.error(
                    "Field 'images' needs the 'primary' camera's image, base64 PNG or JPEG."));
        }
        return primary;
    }

    private static String abbreviated(String name) {
        return name.length() <= 40 ? name : name.substring(0, 40) + "...";
    }

    private static ApiException invalid(String message) {
        return new ApiException(PublicErrorCode.INVALID_FIELD_VALUE.error(message));
    }
}
