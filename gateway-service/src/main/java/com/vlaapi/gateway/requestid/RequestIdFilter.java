package com.vlaapi.gateway.requestid;

import com.vlaapi.servicecontract.RequestIds;
import com.vlaapi.servicecontract.ServiceHeaders;
import java.util.UUID;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Gives every request a fresh id, as the fleet's request-id rule says the public edge must
 * ({@link RequestIds}): sent downstream (by ApiKeyAuthenticationFilter), returned to the client,
 * and the primary key of the request log. Client-supplied ids are replaced, so one client cannot
 * collide with another's.
 */
@Component
public class RequestIdFilter implements GlobalFilter, Ordered {

    public static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".id";

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        UUID id = RequestIds.mint();
        exchange.getAttributes().put(ATTRIBUTE, id);
        // Set just before the response is committed: replaces the copy inference-service echoes.
        exchange.getResponse().beforeCommit(() -> {
            exchange.getResponse().getHeaders().set(ServiceHeaders.REQUEST_ID, of(exchange).toString());
            return Mono.empty();
        });
        // Only authenticated requests go downstream; the authentication filter adds the header to
        // its copy of the request headers, so they are copied once, not twice.
        return chain.filter(exchange);
    }

    /** Before authentication, so even a 401 carries an id. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    /**
     * The one exception to a fresh id: a retry that takes over an Idempotency-Key's request whose
     * gateway died is that same request, and keeps its id, so it is logged and billed once.
     */
    public static void continueRequest(ServerWebExchange exchange, UUID id) {
        exchange.getAttributes().put(ATTRIBUTE, id);
    }

    /** The request's id; one is minted (and kept) for a request no route matched, so its 404 and log line agree. */
    public static UUID of(ServerWebExchange exchange) {
        return (UUID) exchange.getAttributes().computeIfAbsent(ATTRIBUTE, key -> RequestIds.mint());
    }
}
