package com.vlaapi.gateway.apikey;

import com.vlaapi.gateway.edge.UnreadBody;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Authenticates {@code Authorization: Bearer vla_live_...} on every routed request and keeps the
 * customer on the exchange, where the limits, the logs and the upstream request's headers
 * (routing/UpstreamRequestHeaders) find it. The checks themselves are {@link ApiKeyAuthenticator}'s,
 * shared with the WebSocket sessions.
 */
@Component
public class ApiKeyAuthenticationFilter implements GlobalFilter, Ordered {

    public static final String CUSTOMER_ATTRIBUTE = ApiKeyAuthenticationFilter.class.getName() + ".key";

    private final ApiKeyAuthenticator authenticator;
    private final LastUsedReporter lastUsed;

    public ApiKeyAuthenticationFilter(ApiKeyAuthenticator authenticator, LastUsedReporter lastUsed) {
        this.authenticator = authenticator;
        this.lastUsed = lastUsed;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return authenticator.authenticate(exchange).flatMap(outcome -> {
            if (outcome instanceof ApiKeyAuthenticator.Refused refused) {
                if (refused.retryAfterSeconds() > 0) {
                    exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER,
                            Long.toString(refused.retryAfterSeconds()));
                }
                return UnreadBody.refuse(exchange, refused.error());
            }
            ResolvedApiKey resolved = ((ApiKeyAuthenticator.Authenticated) outcome).key();
            exchange.getAttributes().put(CUSTOMER_ATTRIBUTE, resolved);
            lastUsed.used(resolved.keyId());
            return chain.filter(exchange);
        });
    }

    /** After the request id, before routing. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }
}
