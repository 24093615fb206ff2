package com.vlaapi.modelrunner.batching;

import com.vlaapi.modelrunner.ModelRunnerException;

/** The model's queue is full: retry shortly (the HTTP layer answers 503 with Retry-After). */
public final class OverloadedException extends ModelRunnerException {

    public OverloadedException(String model, int capacity) {
        super("overloaded", "Model '" + model + "' has " + capacity + " requests waiting; retry in a moment.");
    }
}
