package com.vlaapi.modelrunner.batching;

import com.vlaapi.modelrunner.ModelRunnerException;

/** The runner has more work than it takes: retry shortly (the HTTP layer answers 503 with Retry-After). */
public final class OverloadedException extends ModelRunnerException {

    private OverloadedException(String message) {
        super(Code.OVERLOADED, message);
    }

    public static OverloadedException queueFull(String model, int capacity) {
        return new OverloadedException("Model '" + model + "' has " + capacity + " requests waiting; retry in a moment.");
    }

    public static OverloadedException decodersBusy(int slots) {
        return new OverloadedException("All " + slots + " image decoders are busy; retry in a moment.");
    }
}
