package com.vlaapi.modelrunner;

import java.util.List;

/**
 * The request's state does not fit the model's {@code input.state}: wrong length or a value that is
 * not a finite number. Code {@link Code#INVALID_STATE}.
 */
public final class InvalidStateException extends ModelRunnerException {

    public InvalidStateException(String message) {
        super(Code.INVALID_STATE, message);
    }

    static InvalidStateException wrongLength(String model, int length, List<String> names) {
        return new InvalidStateException(names.isEmpty()
                ? "Model '" + model + "' takes no state; send none."
                : "state has " + length + " values; model '" + model + "' takes " + names.size() + ": " + names + ".");
    }
}
