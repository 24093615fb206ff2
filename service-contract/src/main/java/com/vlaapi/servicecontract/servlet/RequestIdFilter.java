package com.vlaapi.servicecontract.servlet;

import com.vlaapi.servicecontract.RequestIds;
import com.vlaapi.servicecontract.ServiceHeaders;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * First filter of all, so every response (401s and 404s included) carries {@code X-Request-Id}
 * and every log line of the request names it. The id follows {@link RequestIds#keepOrMint}.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIdFilter extends OncePerRequestFilter {

    public static final String MDC_KEY = "request_id";
    private static final String ATTRIBUTE = RequestIdFilter.class.getName();

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        UUID requestId = RequestIds.keepOrMint(request.getHeader(ServiceHeaders.REQUEST_ID));
        request.setAttribute(ATTRIBUTE, requestId);
        response.setHeader(ServiceHeaders.REQUEST_ID, requestId.toString());
        MDC.put(MDC_KEY, requestId.toString());
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    /** The request's id; one is minted (and kept) for a request that never passed the filter. */
    public static UUID requestId(HttpServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof UUID id) {
            return id;
        }
        UUID minted = RequestIds.mint();
        request.setAttribute(ATTRIBUTE, minted);
        return minted;
    }
}
