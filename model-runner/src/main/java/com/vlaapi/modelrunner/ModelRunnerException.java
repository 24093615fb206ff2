package com.vlaapi.modelrunner;

import java.util.Locale;

/**
 * Base of every error the runner reports on purpose. {@link #code()} is a stable, machine-readable
 * name (for example {@code not_an_image}) that the HTTP layer turns into a 4xx error body.
 */
public abstract class ModelRunnerException extends RuntimeException {

    /** Every code the runner reports: the public API documents each one a request can meet. */
    public enum Code {
        EMPTY_IMAGE, NOT_AN_IMAGE, UNSUPPORTED_IMAGE_FORMAT, IMAGE_TOO_LARGE, TRUNCATED_IMAGE,
        EMPTY_INSTRUCTION, INSTRUCTION_TOO_LONG,
        UNKNOWN_MODEL, UNKNOWN_UNNORM_KEY, INVALID_STATE,
        OVERLOADED,
        /** Raised while bundles load, before the runner serves any request. */
        INVALID_MANIFEST;

        /** The code as clients see it: the name in lower case. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Code code;

    protected ModelRunnerException(Code code, String message) {
        this(code, message, null);
    }

    protected ModelRunnerException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code.id();
    }
}
