package com.vlaapi.modelrunner.image;

import com.vlaapi.modelrunner.ModelRunnerException;

/**
 * The image bytes cannot be used. Codes: {@link Code#EMPTY_IMAGE}, {@link Code#NOT_AN_IMAGE},
 * {@link Code#UNSUPPORTED_IMAGE_FORMAT}, {@link Code#IMAGE_TOO_LARGE} (bytes or pixels),
 * {@link Code#TRUNCATED_IMAGE} (damaged or incomplete data).
 */
public final class InvalidImageException extends ModelRunnerException {

    public InvalidImageException(Code code, String message) {
        super(code, message);
    }

    public InvalidImageException(Code code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
