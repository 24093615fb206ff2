package com.vlaapi.servicecontract.settings;

import com.vlaapi.servicecontract.Secrets;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * For services that call or take calls from the others without an admin API (the gateway,
 * inference-service); customer- and billing-service read it with the admin token, in
 * {@code AccessTokens}.
 *
 * @param internalToken this service's credential, sent in {@code X-Internal-Token} on its calls to
 *                      the others (without {@code callers}: the one secret the whole fleet shares);
 *                      no default on purpose: a service that anyone on the network could call as
 *                      any customer must not start
 * @param callers       the credentials this service accepts, by caller ({@code gateway},
 *                      {@code inference}); empty: the shared {@code internal-token}
 */
@ConfigurationProperties("vla")
public record InternalTokenProperties(String internalToken, @DefaultValue Map<String, String> callers) {

    public InternalTokenProperties {
        Secrets.requireConfigured(internalToken, "vla.internal-token", "VLA_INTERNAL_TOKEN");
    }

    /** Keeps the secret out of logs and failure analyses that print bound properties. */
    @Override
    public String toString() {
        return "InternalTokenProperties[internalToken=<redacted>, callers=" + callers.keySet() + "]";
    }
}
