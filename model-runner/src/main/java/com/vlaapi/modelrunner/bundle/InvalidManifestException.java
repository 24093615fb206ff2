package com.vlaapi.modelrunner.bundle;

import com.vlaapi.modelrunner.ModelRunnerException;

/** A bundle that cannot be served: the message names the file and the field at fault. */
public final class InvalidManifestException extends ModelRunnerException {

    public InvalidManifestException(String message) {
        super(Code.INVALID_MANIFEST, message);
    }

    public InvalidManifestException(String message, Throwable cause) {
        super(Code.INVALID_MANIFEST, message, cause);
    }
}
