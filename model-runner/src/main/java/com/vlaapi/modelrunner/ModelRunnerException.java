package com.vlaapi.modelrunner;

/**
 * Base of every error the runner reports on purpose. {@link #code()} is a stable, machine-readable
 * name (for example {@code not_an_image}) that the HTTP layer turns into a 4xx error body.
 */
public abstract class ModelRunnerException extends RuntimeException {

    private final String code;

    protected ModelRunnerException(String code, String message) {
        this(code, message, null);
    }

    protected ModelRunnerException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
