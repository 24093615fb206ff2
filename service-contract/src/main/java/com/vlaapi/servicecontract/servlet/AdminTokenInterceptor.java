package com.vlaapi.servicecontract.servlet;

import com.vlaapi.servicecontract.error.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.HandlerInterceptor;

/** Admin API callers must send `Authorization: Bearer <vla.admin-token>`. */
class AdminTokenInterceptor implements HandlerInterceptor {

    private static final String BEARER = "Bearer ";

    private final AccessTokens tokens;

    AdminTokenInterceptor(AccessTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, "missing_admin_token",
                    "Send the admin token as 'Authorization: Bearer <token>'.");
        }
        if (!tokens.isAdminToken(authorization.substring(BEARER.length()).trim())) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, "invalid_admin_token", "The admin token is not valid.");
        }
        return true;
    }
}
