package com.vlaapi.gateway.routing;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CLIENT_RESPONSE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ALREADY_ROUTED_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

import com.vlaapi.gateway.errors.Causes;
import com.vlaapi.servicecontract.error.RequestTooLargeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 *
 * <p>Passive health checks: an instance that refuses a connection, or drops it before answering
 * (it crashed or was stopped), is skipped for {@code vla.inference.failure-ejection}, then tried
 * again with live traffic (while every instance is out, all are tried). The request it failed is
 * sent once more, to another instance: with two or more instances, bodies are held in memory so
 * that they can be sent again ({@link ReplayableBody}).
 * Sending a dropped request again is safe: it keeps its request id, under which inference-service
 * logs and bills a request once, whichever instances saw it. A timeout is not retried: the
 * instance may still be working on it, and a retry would double the load that made it slow.
 */
@Component
public class InferenceLoadBalancer implements GlobalFilter, Ordered {

    static final String SERVICE_ID = "inference-service";
    /** The instance a request is being sent to (a {@code URI} from {@code vla.inference.urls}). */
    static final String INSTANCE_ATTRIBUTE = InferenceLoadBalancer.class.getName() + ".instance";
    private static final Logger log = LoggerFactory.getLogger(InferenceLoadBalancer.class);

    private final List<URI> instances;
    private final long ejectionNanos;
    /** Per instance: System.nanoTime() until which it is skipped; 0 when in rotation. */
    private final AtomicLongArray ejectedUntil;
    private final AtomicInteger next = new AtomicInteger();
    private final Counter retried;

    public InferenceLoadBalancer(InferenceServiceProperties inference, MeterRegistry meters) {
        this.instances = List.copyOf(inference.urls());
        this.ejectionNanos = inference.failureEjection().toNanos();
        this.ejectedUntil = new AtomicLongArray(instances.size());
        this.retried = Counter.builder("vla.gateway.upstream.retries")
                .description("Requests sent to a second inference instance because the first refused or dropped them")
                .register(meters);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        URI url = exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR);
        if (url == null || !"lb".equals(url.getScheme()) || !SERVICE_ID.equals(url.getHost())) {
            return chain.filter(exchange);
        }
        if (instances.size() > 1 && !ReplayableBody.canResend(exchange)) {
            return ReplayableBody.read(exchange).flatMap(body -> route(ReplayableBody.attach(exchange, body), chain, url));
        }
        return route(exchange, chain, url);
    }

    private Mono<Void> route(ServerWebExchange exchange, GatewayFilterChain chain, URI url) {
        int first = nextIndex();
        sendTo(exchange, first, url);
        return chain.filter(exchange).onErrorResume(failure -> failedBeforeAnswering(exchange, failure), failure -> {
            eject(first, failure);
            int second = nextIndex();
            if (second == first || !ReplayableBody.canResend(exchange)) {
                return Mono.error(failure);
            }
            retried.increment();
            // Routed once already: the routing filter would skip the exchange without this.
            exchange.getAttributes().remove(GATEWAY_ALREADY_ROUTED_ATTR);
            sendTo(exchange, second, url);
            return chain.filter(exchange).onErrorResume(again -> failedBeforeAnswering(exchange, again), again -> {
                eject(second, again);
                return Mono.error(again);
            });
        });
    }

    private void sendTo(ServerWebExchange exchange, int instance, URI url) {
        exchange.getAttributes().put(INSTANCE_ATTRIBUTE, instances.get(instance));
        exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, onInstance(instances.get(instance), url));
    }

    /** Refused, reset or closed before the instance's answer began: nothing of an answer reached the client. */
    private static boolean failedBeforeAnswering(ServerWebExchange exchange, Throwable failure) {
        if (Causes.has(failure, ConnectException.class)) {
            return true;
        }
        return Causes.has(failure, IOException.class) && !Causes.has(failure, RequestTooLargeException.class)
                && exchange.getAttribute(CLIENT_RESPONSE_ATTR) == null && !exchange.getResponse().isCommitted();
    }

    private void eject(int instance, Throwable cause) {
        ejectedUntil.set(instance, System.nanoTime() + ejectionNanos);
        log.warn("inference instance {} failed a request before answering; skipped for {} ms: {}", instances.get(instance),
                ejectionNanos / 1_000_000, cause.toString());
    }

    /**
     * A call of the gateway's own (a session's observation) that {@code instance} refused or dropped
     * before answering: the instance is skipped as for a routed request.
     */
    public void failedBeforeAnswering(URI instance, Throwable cause) {
        int index = instances.indexOf(instance);
        if (index >= 0) {
            eject(index, cause);
        }
    }

    /** The instance the next call goes to: requests and the gateway's own calls share the rotation. */
    public URI nextInstance() {
        return instances.get(nextIndex());
    }

    /** The next instance in turn that is not ejected; the next in turn when all are. */
    private int nextIndex() {
        int start = next.getAndIncrement();
        long now = System.nanoTime();
        for (int i = 0; i < instances.size(); i++) {
            int candidate = Math.floorMod(start + i, instances.size());
            long until = ejectedUntil.get(candidate);
            if (until == 0 || now - until >= 0) {
                return candidate;
            }
        }
        return Math.floorMod(start, instances.size());
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
