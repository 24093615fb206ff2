package com.vlaapi.modelrunner.action;

import com.vlaapi.modelrunner.ModelRunnerException;
import java.util.Set;

/** The request asked for de-normalisation statistics the model was not given. */
public final class UnknownUnnormKeyException extends ModelRunnerException {

    public UnknownUnnormKeyException(String key, String model, Set<String> available) {
        super(Code.UNKNOWN_UNNORM_KEY, "Unknown unnorm_key '" + key + "' for model '" + model
                + "'; available: " + available + ".");
    }
}
