package com.vlaapi.gateway.apikey;

import com.vlaapi.gateway.edge.ClientAddress;
import com.vlaapi.gateway.edge.FailedAuthenticationLimiter;
import com.vlaapi.gateway.edge.UnreadBody;
import com.vlaapi.gateway.requestid.RequestIdFilter;
import com.vlaapi.servicecontract.ServiceHeaders;
import com.vlaapi.servicecontract.apikey.ApiKeyFormat;
import com.vlaapi.servicecontract.apikey.ApiKeyHashes;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import com.vlaapi.servicecontract.settings.InternalTokenProperties;
import java.time.Clock;
import java.util.regex.Pattern;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Authenticates {@code Authorization: Bearer vla_live_...} on every routed request and tells the
 * inference service who the customer is and which request this is ({@code X-Request-Id}). Incoming
 * copies of our internal headers are removed first, so a client cannot claim to be another customer.
 */
@Component
public class ApiKeyAuthenticationFilter implements GlobalFilter, Ordered {

    public static final String CUSTOMER_ATTRIBUTE = ApiKeyAuthenticationFilter.class.getName() + ".key";

    private static final Pattern KEY_FORMAT = Pattern.compile("vla_live_[0-9A-Za-z]{24,128}");
    private static final String UNKNOWN_KEY = "Unknown API key. Check for typos or ask for a new key.";

    private final ApiKeyResolver resolver;
    private final LastUsedReporter lastUsed;
    private final FailedAuthenticationLimiter failedAuthentications;
    private final ClientAddress clientAddress;
    private final String internalToken;
    private final Clock clock;

    public ApiKeyAuthenticationFilter(ApiKeyResolver resolver, LastUsedReporter lastUsed,
                                      FailedAuthenticationLimiter failedAuthentications, ClientAddress clientAddress,
                                      InternalTokenProperties token, Clock clock) {
        this.resolver = resolver;
        this.clock = clock;
        this.lastUsed = lastUsed;
        this.failedAuthentications = failedAuthentications;
        this.clientAddress = clientAddress;
        this.internalToken = token.internalToken();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (failedAuthentications.exhausted(clientAddress.of(exchange))) {
            String seconds = Long.toString(failedAuthentications.retryAfterSeconds());
            exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, seconds);
            return reply(exchange, PublicErrorCode.TOO_MANY_FAILED_AUTHENTICATIONS.error(
                    "Too many requests with missing or invalid API keys from this address; retry after " + seconds
                            + " s with a valid key."));
        }
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            return reject(exchange, PublicErrorCode.MISSING_API_KEY,
                    "No API key. Send it as the header 'Authorization: Bearer vla_live_...'.");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return reject(exchange, PublicErrorCode.MALFORMED_AUTHORIZATION,
                    "The Authorization header must be 'Bearer <API key>'.");
        }
        String key = authorization.substring(7).trim();
        if (!KEY_FORMAT.matcher(key).matches()) {
            return reject(exchange, PublicErrorCode.MALFORMED_API_KEY,
                    "That is not a VLA API key; keys start with 'vla_live_'.");
        }
        if (ApiKeyFormat.shape(key) == ApiKeyFormat.Shape.INVALID) {
            // A typo or a guess: its checksum (or its length) says so without a lookup anywhere.
            return reject(exchange, PublicErrorCode.INVALID_API_KEY, UNKNOWN_KEY);
        }
        return resolver.resolve(ApiKeyHashes.sha256Hex(key)).flatMap(found -> {
            if (found.isEmpty()) {
                return reject(exchange, PublicErrorCode.INVALID_API_KEY, UNKNOWN_KEY);
            }
            ResolvedApiKey resolved = found.get();
            if (resolved.revoked()) {
                return reject(exchange, PublicErrorCode.REVOKED_API_KEY,
                        "This API key was revoked. Use a current key.");
            }
            if (resolved.expired(clock.instant())) {
                return reject(exchange, PublicErrorCode.EXPIRED_API_KEY,
                        "This API key has expired. Use a current key.");
            }
            if (!"active".equals(resolved.keyStatus())) {
                return reject(exchange, PublicErrorCode.INVALID_API_KEY, "This API key cannot be used.");
            }
            if (!resolved.customerActive()) {
                return reply(exchange, PublicErrorCode.CUSTOMER_SUSPENDED.error(
                        "This account is suspended; contact support."));
            }
            exchange.getAttributes().put(CUSTOMER_ATTRIBUTE, resolved);
            lastUsed.used(resolved.keyId());
            ServerWebExchange authenticated = exchange.mutate().request(r -> r.headers(h -> {
                h.remove(HttpHeaders.AUTHORIZATION);
                // The client's Connection options are for its own connection; left in, the proxy's
                // hop-by-hop removal would drop every header they name, our trusted ones included.
                h.remove(HttpHeaders.CONNECTION);
                h.set(ServiceHeaders.REQUEST_ID, RequestIdFilter.of(exchange).toString());
                h.set(ServiceHeaders.CUSTOMER_ID, resolved.customerId().toString());
                h.set(ServiceHeaders.API_KEY_ID, resolved.keyId().toString());
                h.set(ServiceHeaders.INTERNAL_TOKEN, internalToken);
            })).build();
            return chain.filter(authenticated);
        });
    }

    private Mono<Void> reject(ServerWebExchange exchange, PublicErrorCode code, String message) {
        failedAuthentications.failed(clientAddress.of(exchange));
        return reply(exchange, code.error(message));
    }

    private static Mono<Void> reply(ServerWebExchange exchange, ApiError error) {
        return UnreadBody.refuse(exchange, error);
    }


    /** After the request id, before routing. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }
}
