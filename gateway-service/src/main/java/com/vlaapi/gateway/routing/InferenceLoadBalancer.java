package com.vlaapi.gateway.routing;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Sends each request routed to {@code lb://inference-service} to the next instance in
 * {@code vla.inference.urls}, round robin: for a fixed list, all Spring Cloud LoadBalancer did, at a
 * cost per request (docs/benchmarks.md).
 */
@Component
public class InferenceLoadBalancer implements GlobalFilter, Ordered {

    static final String SERVICE_ID = "inference-service";

    private final List<URI> instances;
    private final AtomicInteger next = new AtomicInteger();

    public InferenceLoadBalancer(InferenceServiceProperties inference) {
        this.instances = List.copyOf(inference.urls());
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        URI url = exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR);
        if (url != null && "lb".equals(url.getScheme()) && SERVICE_ID.equals(url.getHost())) {
            exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, onInstance(nextInstance(), url));
        }
        return chain.filter(exchange);
    }

    /** The instance the next call goes to: requests and the gateway's own calls share the rotation. */
    public URI nextInstance() {
        return instances.get(Math.floorMod(next.getAndIncrement(), instances.size()));
    }

    /** {@code url}'s path and query, still encoded as the client sent them, on {@code instance}. */
    static URI onInstance(URI instance, URI url) {
        StringBuilder resolved = new StringBuilder(instance.getScheme()).append("://").append(instance.getRawAuthority())
                .append(url.getRawPath());
        if (url.getRawQuery() != null) {
            resolved.append('?').append(url.getRawQuery());
        }
        return URI.create(resolved.toString());
    }

    /** Right after the route's URL is known, where Spring Cloud Gateway resolves {@code lb://} URLs. */
    @Override
    public int getOrder() {
        return RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 1;
    }
}
