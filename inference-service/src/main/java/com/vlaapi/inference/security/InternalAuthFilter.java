package com.vlaapi.inference.security;

import com.vlaapi.inference.api.ApiError;
import com.vlaapi.inference.api.CanonicalUuid;
import com.vlaapi.inference.api.ErrorResponseWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The trust boundary: only the gateway may call this service. Every path except the health and
 * metrics endpoints needs the shared internal token; {@code /v1/**} also needs the customer the
 * gateway authenticated. The service never sees API keys: the gateway checks them.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class InternalAuthFilter extends OncePerRequestFilter {

    static final String TOKEN_HEADER = "X-Internal-Token";
    static final String CUSTOMER_HEADER = "X-Vla-Customer-Id";
    static final String API_KEY_HEADER = "X-Vla-Api-Key-Id";
    private static final Set<String> PUBLIC_PATHS = Set.of("/actuator/health", "/actuator/prometheus");

    private final byte[] expectedTokenDigest;
    private final ErrorResponseWriter errors;

    InternalAuthFilter(InternalAuthProperties properties, ErrorResponseWriter errors) {
        this.expectedTokenDigest = sha256(properties.internalToken());
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // The servlet path is decoded and normalised, so "/v1/../actuator/health" cannot sneak past.
        String path = request.getServletPath();
        return PUBLIC_PATHS.contains(path) || path.startsWith("/actuator/health/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String token = request.getHeader(TOKEN_HEADER);
        if (token == null || !tokenMatches(token)) {
            errors.write(request, response, ApiError.unauthorized("invalid_internal_token",
                    "This service only accepts requests from the VLA API gateway."));
            return;
        }
        if (request.getServletPath().startsWith("/v1/")) {
            Optional<ApiError> problem = identifyCaller(request);
            if (problem.isPresent()) {
                errors.write(request, response, problem.get());
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** Hashing first makes the comparison independent of where, and whether, the lengths differ. */
    private boolean tokenMatches(String token) {
        return MessageDigest.isEqual(sha256(token), expectedTokenDigest);
    }

    private Optional<ApiError> identifyCaller(HttpServletRequest request) {
        String customer = request.getHeader(CUSTOMER_HEADER);
        if (customer == null) {
            return Optional.of(ApiError.unauthorized("missing_customer_id",
                    "The gateway did not say which customer sent this request (" + CUSTOMER_HEADER + ")."));
        }
        Optional<UUID> customerId = CanonicalUuid.parse(customer);
        if (customerId.isEmpty()) {
            return Optional.of(ApiError.unauthorized("invalid_customer_id", CUSTOMER_HEADER + " must be a UUID."));
        }
        String apiKey = request.getHeader(API_KEY_HEADER);
        Optional<UUID> apiKeyId = apiKey == null ? Optional.empty() : CanonicalUuid.parse(apiKey);
        if (apiKey != null && apiKeyId.isEmpty()) {
            return Optional.of(ApiError.unauthorized("invalid_api_key_id", API_KEY_HEADER + " must be a UUID."));
        }
        request.setAttribute(Caller.ATTRIBUTE, new Caller(customerId.get(), apiKeyId.orElse(null)));
        return Optional.empty();
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime ships SHA-256", e);
        }
    }
}
