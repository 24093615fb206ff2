package com.vlaapi.servicecontract.servlet;

import com.vlaapi.servicecontract.InternalToken;
import java.util.Map;
import com.vlaapi.servicecontract.Secrets;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The shared secrets callers present to an admin service: operators (admin API) and the other
 * services (internal API). Neither has a default, so a forgotten token stops the service at
 * startup instead of leaving an API open or guessable.
 */
@ConfigurationProperties("vla")
public record AccessTokens(String adminToken, String internalToken, @DefaultValue Map<String, String> callers) {

    public AccessTokens {
        Secrets.requireConfigured(adminToken, "vla.admin-token", "VLA_ADMIN_TOKEN");
        Secrets.requireConfigured(internalToken, "vla.internal-token", "VLA_INTERNAL_TOKEN");
    }

    public boolean isAdminToken(String presented) {
        return Secrets.matches(adminToken, presented);
    }

    public InternalToken internal() {
        return new InternalToken(internalToken, callers);
    }

    @Override
    public String toString() {
        return "AccessTokens[adminToken=<redacted>, internalToken=<redacted>, callers=" + callers.keySet() + "]";
    }
}
