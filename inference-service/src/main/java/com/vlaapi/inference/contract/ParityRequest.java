package com.vlaapi.inference.contract;

import java.util.List;

/** The body of {@code POST /v1/models/{id}/parity}: frames a client recorded with its own copy of the model. */
record ParityRequest(List<Frame> frames) {

    /**
     * One observation and what the client's copy answered for it: {@code action} (one action, compared
     * with the chunk's first) or {@code chunk} (its first actions, step by step), not both. Lists of
     * boxed numbers so that a null inside one is caught and named.
     */
    record Frame(String image, String instruction, List<Double> state, String unnormKey, List<Double> action,
                 List<List<Double>> chunk) {
    }
}
