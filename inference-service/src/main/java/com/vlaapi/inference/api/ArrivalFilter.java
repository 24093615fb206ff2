package com.vlaapi.inference.api;

import com.vlaapi.servicecontract.servlet.RequestIdFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Right after the request id is settled ({@link RequestIdFilter}): notes when the request arrived,
 * the request log's timestamp and the start of {@code latency_ms}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class ArrivalFilter extends OncePerRequestFilter {

    private final Clock clock;

    ArrivalFilter(Clock clock) {
        this.clock = clock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        request.setAttribute(RequestContext.ATTRIBUTE,
                new RequestContext(RequestIdFilter.requestId(request), clock.instant(), System.nanoTime()));
        chain.doFilter(request, response);
    }
}
