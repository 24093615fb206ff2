package com.vlaapi.servicecontract;

import com.vlaapi.servicecontract.error.ApiError;
import java.util.Optional;
import org.springframework.http.HttpStatus;

/**
 * The internal-token check of every service that takes calls from other services: the
 * {@link ServiceHeaders#INTERNAL_TOKEN} header must carry {@code vla.internal-token}.
 */
public final class InternalToken {

    private final String expected;

    public InternalToken(String expected) {
        Secrets.requireConfigured(expected, "vla.internal-token", "VLA_INTERNAL_TOKEN");
        this.expected = expected;
    }

    /** Empty when {@code presented} (the header's value, null when absent) is the token. */
    public Optional<ApiError> check(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.of(new ApiError(HttpStatus.UNAUTHORIZED, "missing_internal_token", "Send the "
                    + ServiceHeaders.INTERNAL_TOKEN + " header: this endpoint is for the VLA API's own services."));
        }
        if (!Secrets.matches(expected, presented)) {
            return Optional.of(new ApiError(HttpStatus.UNAUTHORIZED, "invalid_internal_token",
                    "The internal token is not valid."));
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "InternalToken[<redacted>]";
    }
}
