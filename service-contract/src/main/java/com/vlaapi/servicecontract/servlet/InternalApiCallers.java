package com.vlaapi.servicecontract.servlet;

import java.util.Map;
import java.util.Set;

/**
 * The callers a service's {@code /internal/**} API serves, by name ({@code InternalToken.GATEWAY},
 * {@code InternalToken.INFERENCE}, {@code InternalToken.CUSTOMER}): a service that imports
 * {@link AccessTokensConfiguration} declares this bean, and a caller it does not name is refused
 * with 403 even with a valid token.
 *
 * @param callers the callers of every internal endpoint that {@code byPath} does not name
 * @param byPath  Spring MVC path patterns under {@code /internal/} whose endpoints serve these callers
 *                instead: one internal API may serve two callers without either reaching the
 *                other's endpoints (billing takes usage from inference-service alone, and answers
 *                the customer portal's reads to customer-service alone)
 */
public record InternalApiCallers(Set<String> callers, Map<String, Set<String>> byPath) {

    public InternalApiCallers {
        callers = Set.copyOf(callers);
        byPath = Map.copyOf(byPath);
        byPath.keySet().forEach(pattern -> {
            // Elsewhere the internal token would guard a path that is not part of the internal API.
            if (!pattern.startsWith("/internal/")) {
                throw new IllegalArgumentException("internal API paths start with /internal/, not " + pattern);
            }
        });
    }

    /** One set of callers for the whole internal API. */
    public InternalApiCallers(Set<String> callers) {
        this(callers, Map.of());
    }
}
