package com.vlaapi.accesstokens;

import com.vlaapi.apierrors.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;

/** Service-to-service callers (the gateway) must send `X-Internal-Token: <vla.internal-token>`. */
class InternalTokenInterceptor implements HandlerInterceptor {

    private static final String HEADER = "X-Internal-Token";

    private final AccessTokens tokens;

    InternalTokenInterceptor(AccessTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String presented = request.getHeader(HEADER);
        if (presented == null || presented.isEmpty()) {
            throw ApiException.unauthenticated("missing_internal_token", "Send the " + HEADER + " header.");
        }
        if (!tokens.isInternalToken(presented)) {
            throw ApiException.unauthenticated("invalid_internal_token", "The internal token is not valid.");
        }
        return true;
    }
}
