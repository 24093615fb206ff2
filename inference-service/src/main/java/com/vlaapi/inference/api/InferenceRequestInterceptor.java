package com.vlaapi.inference.api;

import com.vlaapi.inference.security.Caller;
import com.vlaapi.servicecontract.error.ApiError;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Wraps the inference handlers: opens an {@link InferenceExchange} before the body is read, and
 * hands the request to {@link RequestCompletion} when the response status is final (after
 * exception handlers ran).
 */
@Component
class InferenceRequestInterceptor implements HandlerInterceptor {

    private final RequestCompletion completion;

    InferenceRequestInterceptor(RequestCompletion completion) {
        this.completion = completion;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        request.setAttribute(InferenceExchange.ATTRIBUTE, new InferenceExchange());
        return true;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
                                Exception unhandled) {
        ApiError error = (ApiError) request.getAttribute(ApiError.ATTRIBUTE);
        // An exception no handler resolved becomes a 500 after this method; log it as one.
        int status = unhandled != null ? 500 : response.getStatus();
        String errorCode = unhandled != null ? ApiError.internal().code() : error == null ? null : error.code();
        completion.completed(request.getMethod() + " " + request.getRequestURI(), RequestContext.of(request),
                (Caller) request.getAttribute(Caller.ATTRIBUTE),
                (InferenceExchange) request.getAttribute(InferenceExchange.ATTRIBUTE), status, errorCode);
    }
}
