package com.vlaapi.servicecontract.servlet;

import com.vlaapi.servicecontract.InternalToken;
import com.vlaapi.servicecontract.ServiceHeaders;
import com.vlaapi.servicecontract.error.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Set;
import org.springframework.web.servlet.HandlerInterceptor;

/** Service-to-service callers must send the credential of a caller the internal API serves ({@link InternalToken}). */
class InternalTokenInterceptor implements HandlerInterceptor {

    private final InternalToken token;
    private final Set<String> allowed;

    InternalTokenInterceptor(InternalToken token, Set<String> allowed) {
        this.token = token;
        this.allowed = allowed;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        token.check(request.getHeader(ServiceHeaders.INTERNAL_TOKEN), allowed).ifPresent(problem -> {
            throw new ApiException(problem);
        });
        return true;
    }
}
