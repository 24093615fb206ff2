package com.vlaapi.inference.api;

import jakarta.servlet.ServletRequest;
import java.time.Instant;
import java.util.UUID;

/**
 * Set on every request by {@link RequestIdFilter}: the id echoed to the caller and written to the
 * request log, and when the request arrived (the start of {@code latency_ms}).
 */
public record RequestContext(UUID requestId, Instant receivedAt, long receivedNanos) {

    public static final String ATTRIBUTE = "vla.requestContext";

    public static RequestContext of(ServletRequest request) {
        return (RequestContext) request.getAttribute(ATTRIBUTE);
    }

    /** The request's id, or {@code null} on the rare path that never passed {@link RequestIdFilter}. */
    public static UUID idOf(ServletRequest request) {
        RequestContext context = of(request);
        return context == null ? null : context.requestId();
    }

    public double elapsedMs() {
        return (System.nanoTime() - receivedNanos) / 1e6;
    }
}
