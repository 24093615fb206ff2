package com.vlaapi.gateway.apikey;

import com.vlaapi.gateway.edge.UnreadBody;
import com.vlaapi.gateway.requestid.RequestIdFilter;
import com.vlaapi.servicecontract.ServiceHeaders;
import com.vlaapi.servicecontract.settings.InternalTokenProperties;
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
 * The checks themselves are {@link ApiKeyAuthenticator}'s, shared with the WebSocket sessions.
 */
@Component
public class ApiKeyAuthenticationFilter implements GlobalFilter, Ordered {

    public static final String CUSTOMER_ATTRIBUTE = ApiKeyAuthenticationFilter.class.getName() + ".key";

    private final ApiKeyAuthenticator authenticator;
    private final LastUsedReporter lastUsed;
    private final String internalToken;

    public ApiKeyAuthenticationFilter(ApiKeyAuthenticator authenticator, LastUsedReporter lastUsed,
                                      InternalTokenProperties token) {
        this.authenticator = authenticator;
        this.lastUsed = lastUsed;
        this.internalToken = token.internalToken();
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
            ServerWebExchange forwarded = exchange.mutate().request(r -> r.headers(h -> {
                h.remove(HttpHeaders.AUTHORIZATION);
                // The client's Connection options are for its own connection; left in, the proxy's
                // hop-by-hop removal would drop every header they name, our trusted ones included.
                h.remove(HttpHeaders.CONNECTION);
                h.set(ServiceHeaders.REQUEST_ID, RequestIdFilter.of(exchange).toString());
                h.set(ServiceHeaders.CUSTOMER_ID, resolved.customerId().toString());
                h.set(ServiceHeaders.API_KEY_ID, resolved.keyId().toString());
                h.set(ServiceHeaders.INTERNAL_TOKEN, internalToken);
            })).build();
            return chain.filter(forwarded);
        });
    }

    /** After the request id, before routing. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }
}
