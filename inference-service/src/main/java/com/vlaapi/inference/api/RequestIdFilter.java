package com.vlaapi.inference.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * First filter of all, so every response (401s and 404s included) carries {@code X-Request-Id}.
 * The gateway's id is kept when it is a UUID, so one id follows a request through every service;
 * anything else is replaced, because the id is the request log's primary key.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestIdFilter extends OncePerRequestFilter {

    static final String HEADER = "X-Request-Id";
    static final String MDC_KEY = "request_id";

    private final Clock clock;

    RequestIdFilter(Clock clock) {
        this.clock = clock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long receivedNanos = System.nanoTime();
        UUID requestId = CanonicalUuid.parse(request.getHeader(HEADER)).orElseGet(UUID::randomUUID);
        request.setAttribute(RequestContext.ATTRIBUTE, new RequestContext(requestId, clock.instant(), receivedNanos));
        response.setHeader(HEADER, requestId.toString());
        MDC.put(MDC_KEY, requestId.toString());
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(MDC_KEY);
        }
    }
}
