package com.vlaapi.inference.security;

import com.vlaapi.servicecontract.InternalToken;
import com.vlaapi.servicecontract.settings.InternalTokenProperties;
import com.vlaapi.servicecontract.RequestIds;
import com.vlaapi.servicecontract.Secrets;
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
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The trust boundary: the gateway calls this service, customer-service its portal's reads, and operators
 * its admin API. Every path except the health and metrics endpoints, {@code /admin/**} and the portal's
 * {@code /internal/v1/customers/**} needs the gateway's internal credential; {@code /v1/**} also needs
 * the customer the gateway authenticated; the portal's paths customer-service's credential;
 * {@code /admin/**} the admin token. The service never sees API keys: the gateway checks them.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class InternalAuthFilter extends OncePerRequestFilter {

    /** Every other path serves the gateway alone. */
    private static final Set<String> GATEWAY_ONLY = Set.of(InternalToken.GATEWAY);
    /**
     * A customer's requests, read by customer-service's portal (package portal/). One credential per
     * caller, one set of paths per credential: the gateway's opens none of these, customer-service's
     * nothing else (neither inference as any customer nor the gateway's usage repairs).
     */
    private static final Set<String> PORTAL_ONLY = Set.of(InternalToken.CUSTOMER);
    private static final String PORTAL_PATHS = "/internal/v1/customers/";
    private static final Set<String> PUBLIC_PATHS = Set.of("/actuator/health", "/actuator/prometheus");

    private static final String BEARER = "Bearer ";

    private final InternalToken token;
    private final AdminTokenProperties admin;

    InternalAuthFilter(InternalTokenProperties properties, AdminTokenProperties admin) {
        this.token = new InternalToken(properties.internalToken(), properties.callers());
        this.admin = admin;
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
        String path = request.getServletPath();
        Optional<ApiError> problem = path.startsWith("/admin/")
                ? checkAdmin(request.getHeader(HttpHeaders.AUTHORIZATION))
                : token.check(request.getHeader(ServiceHeaders.INTERNAL_TOKEN),
                        path.startsWith(PORTAL_PATHS) ? PORTAL_ONLY : GATEWAY_ONLY);
        if (problem.isEmpty() && servesACustomer(path)) {
            problem = identifyCaller(request);
        }
        if (problem.isPresent()) {
            ServletErrorWriter.write(request, response, problem.get());
            return;
        }
        chain.doFilter(request, response);
    }

    /** The customer-facing API: {@code /v1/**}, and OpenVLA's {@code /act}, at the root where its clients post. */
    private static boolean servesACustomer(String path) {
        return path.startsWith("/v1/") || path.equals("/act");
    }

    /** Operators, not the gateway, call {@code /admin/**}: with the admin token, as on customer- and billing-service. */
    private Optional<ApiError> checkAdmin(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.of(new ApiError(HttpStatus.UNAUTHORIZED, "missing_admin_token",
                    "Send the admin token as 'Authorization: Bearer <token>'."));
        }
        if (!admin.isConfigured() || !Secrets.matches(admin.adminToken(), authorization.substring(BEARER.length()).trim())) {
            return Optional.of(new ApiError(HttpStatus.UNAUTHORIZED, "invalid_admin_token", "The admin token is not valid."));
        }
        return Optional.empty();
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
