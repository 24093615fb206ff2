package com.vlaapi.bench.load;

/** Sends one request and waits for the answer; true on success. */
@FunctionalInterface
public interface Call {
    boolean send(int sequence) throws Exception;
}
