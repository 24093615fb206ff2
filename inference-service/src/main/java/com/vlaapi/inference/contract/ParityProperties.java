package com.vlaapi.inference.contract;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code vla.inference.parity.*}: {@code POST /v1/models/{id}/parity}, which is neither metered nor
 * rate-limited (a check, not inference), so what one call and one instance spend on it is bounded here.
 *
 * @param maxFrames     most frames one call may send
 * @param tolerance     largest difference still reported as a match, as a fraction of each action
 *                      dimension's training range (ParityCheck)
 * @param maxConcurrent parity calls one instance runs at once; more are answered 503 {@code overloaded}
 */
@ConfigurationProperties("vla.inference.parity")
public record ParityProperties(
        @DefaultValue("16") int maxFrames,
        @DefaultValue("0.01") double tolerance,
        @DefaultValue("2") int maxConcurrent) {

    public ParityProperties {
        if (maxFrames < 1 || maxConcurrent < 1 || !(tolerance >= 0)) {
            throw new IllegalArgumentException("vla.inference.parity.max-frames and .max-concurrent must be at least 1, "
                    + ".tolerance at least 0");
        }
    }
}
