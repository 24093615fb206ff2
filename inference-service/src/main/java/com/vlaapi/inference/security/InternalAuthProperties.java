package com.vlaapi.inference.security;

import com.vlaapi.servicecontract.Secrets;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param internalToken shared secret the gateway sends in {@code X-Internal-Token}; there is no
 *                      default on purpose: a service that anyone on the network could call as
 *                      any customer must not start
 */
@ConfigurationProperties("vla")
public record InternalAuthProperties(String internalToken) {

    public InternalAuthProperties {
        Secrets.requireConfigured(internalToken, "vla.internal-token", "VLA_INTERNAL_TOKEN");
    }

    /** Keeps the secret out of logs and failure analyses that print bound properties. */
    @Override
    public String toString() {
        return "InternalAuthProperties[internalToken=***]";
    }
}
