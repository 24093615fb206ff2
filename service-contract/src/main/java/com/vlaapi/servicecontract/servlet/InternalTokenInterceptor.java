package com.vlaapi.servicecontract.servlet;

import com.vlaapi.servicecontract.InternalToken;
import com.vlaapi.servicecontract.ServiceHeaders;
import com.vlaapi.servicecontract.error.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;

/** Service-to-service callers must send the internal token ({@link InternalToken}). */
class InternalTokenInterceptor implements HandlerInterceptor {

    private final InternalToken token;

    InternalTokenInterceptor(InternalToken token) {
        this.token = token;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        token.check(request.getHeader(ServiceHeaders.INTERNAL_TOKEN)).ifPresent(problem -> {
            throw new ApiException(problem);
        });
        return true;
    }
}
