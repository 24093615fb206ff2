package com.vlaapi.inference.security;

import com.vlaapi.servicecontract.InternalToken;
import com.vlaapi.servicecontract.settings.InternalTokenProperties;
import com.vlaapi.servicecontract.RequestIds;
import com.vlaapi.servicecontract.ServiceHeaders;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.servlet.ServletErrorWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The trust boundary: only the gateway may call this service. Every path except the health and
 * metrics endpoints needs the gateway's internal credential; {@code /v1/**} also needs the customer the
 * gateway authenticated. The service never sees API keys: the gateway checks them.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class InternalAuthFilter extends OncePerRequestFilter {

    /** Every endpoint here serves the gateway alone. */
    private static final Set<String> GATEWAY_ONLY = Set.of(InternalToken.GATEWAY);
    private static final Set<String> PUBLIC_PATHS = Set.of("/actuator/health", "/actuator/prometheus");

    private final InternalToken token;

    InternalAuthFilter(InternalTokenProperties properties) {
        this.token = new InternalToken(properties.internalToken(), properties.callers());
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
        Optional<ApiError> problem = token.check(request.getHeader(ServiceHeaders.INTERNAL_TOKEN), GATEWAY_ONLY);
        if (problem.isEmpty() && request.getServletPath().startsWith("/v1/")) {
            problem = identifyCaller(request);
        }
        if (problem.isPresent()) {
            ServletErrorWriter.write(request, response, problem.get());
            return;
        }
        chain.doFilter(request, response);
    }

    private Optional<ApiError> identifyCaller(HttpServletRequest request) {
        String customer = request.getHeader(ServiceHeaders.CUSTOMER_ID);
        if (customer == null) {
            return Optional.of(new ApiError(HttpStatus.UNAUTHORIZED, "missing_customer_id",
                    "The gateway did not say which customer sent this request (" + ServiceHeaders.CUSTOMER_ID + ")."));
        }
        Optional<UUID> customerId = RequestIds.parseCanonical(customer);
        if (customerId.isEmpty()) {
            return Optional.of(new ApiError(HttpStatus.UNAUTHORIZED, "invalid_customer_id",
                    ServiceHeaders.CUSTOMER_ID + " must be a UUID."));
        }
        String apiKey = request.getHeader(ServiceHeaders.API_KEY_ID);
        Optional<UUID> apiKeyId = apiKey == null ? Optional.empty() : RequestIds.parseCanonical(apiKey);
        if (apiKey != null && apiKeyId.isEmpty()) {
            return Optional.of(new ApiError(HttpStatus.UNAUTHORIZED, "invalid_api_key_id",
                    ServiceHeaders.API_KEY_ID + " must be a UUID."));
        }
        request.setAttribute(Caller.ATTRIBUTE, new Caller(customerId.get(), apiKeyId.orElse(null)));
        return Optional.empty();
    }
}
