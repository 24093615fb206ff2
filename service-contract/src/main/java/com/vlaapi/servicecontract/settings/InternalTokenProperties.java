package com.vlaapi.servicecontract.settings;

import com.vlaapi.servicecontract.Secrets;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * For services that call or take calls from the others without an admin API (the gateway,
 * inference-service); customer- and billing-service read it with the admin token, in
 * {@code AccessTokens}.
 *
 * @param internalToken the secret services send each other in {@code X-Internal-Token}; no default
 *                      on purpose: a service that anyone on the network could call as any
 *                      customer must not start
 */
@ConfigurationProperties("vla")
public record InternalTokenProperties(String internalToken) {

    public InternalTokenProperties {
        Secrets.requireConfigured(internalToken, "vla.internal-token", "VLA_INTERNAL_TOKEN");
    }

    /** Keeps the secret out of logs and failure analyses that print bound properties. */
    @Override
    public String toString() {
        return "InternalTokenProperties[internalToken=<redacted>]";
    }
}
