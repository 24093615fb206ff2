package com.vlaapi.servicecontract;

import com.vlaapi.servicecontract.error.ApiError;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;

/**
 * The internal-token check of every service that takes calls from other services: the
 * {@link ServiceHeaders#INTERNAL_TOKEN} header must carry the credential of a caller the endpoint
 * serves. Each caller has its own ({@code vla.callers.<caller>}: the tokens this service accepts,
 * by caller), so a leaked gateway token cannot forge usage at billing. Without {@code vla.callers},
 * the fleet shares one secret, {@code vla.internal-token}, and any holder is any caller.
 */
public final class InternalToken {

    /** The callers, by name: {@code gateway}, {@code inference}, {@code customer} (the portal). */
    public static final String GATEWAY = "gateway";
    public static final String INFERENCE = "inference";
    public static final String CUSTOMER = "customer";

    private final String shared;
    private final Map<String, String> callers;

    public InternalToken(String shared, Map<String, String> callers) {
        Secrets.requireConfigured(shared, "vla.internal-token", "VLA_INTERNAL_TOKEN");
        callers.forEach((caller, token) -> Secrets.requireConfigured(token, "vla.callers." + caller,
                "VLA_CALLERS_" + caller.toUpperCase()));
        this.shared = shared;
        this.callers = Map.copyOf(callers);
    }

    /**
     * Empty when {@code presented} (the header's value, null when absent) is the credential of one
     * of {@code allowed}; else the error to answer (401 for no or an unknown token, 403 for a
     * caller this endpoint does not serve).
     */
    public Optional<ApiError> check(String presented, Set<String> allowed) {
        if (presented == null || presented.isEmpty()) {
            return Optional.of(new ApiError(HttpStatus.UNAUTHORIZED, "missing_internal_token", "Send the "
                    + ServiceHeaders.INTERNAL_TOKEN + " header: this endpoint is for the VLA API's own services."));
        }
        if (callers.isEmpty()) {
            return Secrets.matches(shared, presented) ? Optional.empty() : Optional.of(invalid());
        }
        // Every caller's token is compared, so the time taken does not tell which one came close.
        String caller = null;
        for (Map.Entry<String, String> known : callers.entrySet()) {
            if (Secrets.matches(known.getValue(), presented)) {
                caller = known.getKey();
            }
        }
        if (caller == null) {
            return Optional.of(invalid());
        }
        if (!allowed.contains(caller)) {
            return Optional.of(new ApiError(HttpStatus.FORBIDDEN, "caller_not_allowed",
                    "This endpoint does not serve " + caller + "; it takes calls from " + String.join(", ", allowed) + "."));
        }
        return Optional.empty();
    }

    private static ApiError invalid() {
        return new ApiError(HttpStatus.UNAUTHORIZED, "invalid_internal_token", "The internal token is not valid.");
    }

    @Override
    public String toString() {
        return "InternalToken[<redacted>, callers=" + callers.keySet() + "]";
    }
}
