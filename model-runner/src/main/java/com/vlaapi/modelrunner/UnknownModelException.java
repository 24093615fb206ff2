package com.vlaapi.modelrunner;

import java.util.Set;

/** The request named a model that is not loaded. */
public final class UnknownModelException extends ModelRunnerException {

    public UnknownModelException(String model, Set<String> available) {
        super(Code.UNKNOWN_MODEL, "Unknown model '" + model + "'; available models: " + available);
    }
}
