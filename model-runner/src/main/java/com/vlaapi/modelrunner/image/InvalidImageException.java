package com.vlaapi.modelrunner.image;

import com.vlaapi.modelrunner.ModelRunnerException;

/**
 * The image bytes cannot be used. Codes: {@code empty_image}, {@code not_an_image},
 * {@code unsupported_image_format}, {@code image_too_large} (bytes or pixels),
 * {@code truncated_image} (damaged or incomplete data).
 */
public final class InvalidImageException extends ModelRunnerException {

    public InvalidImageException(String code, String message) {
        super(code, message);
    }

    public InvalidImageException(String code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
