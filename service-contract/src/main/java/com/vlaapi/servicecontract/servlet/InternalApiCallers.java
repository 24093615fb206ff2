package com.vlaapi.servicecontract.servlet;

import java.util.Set;

/**
 * The callers a service's {@code /internal/**} API serves, by name ({@code InternalToken.GATEWAY},
 * {@code InternalToken.INFERENCE}): a service that imports {@link AccessTokensConfiguration}
 * declares this bean, and a caller it does not name is refused with 403 even with a valid token.
 */
public record InternalApiCallers(Set<String> callers) {
}
