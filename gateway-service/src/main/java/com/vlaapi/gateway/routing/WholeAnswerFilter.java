package com.vlaapi.gateway.routing;

import java.util.Optional;
import org.reactivestreams.Publisher;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Writes each answer whole: the body is gathered first, so Reactor Netty sends the status, headers
 * and body in one write. A gateway killed mid-answer then has sent nothing or everything, and a
 * load balancer in front (deploy/nginx) can send a request that got nothing to another gateway;
 * streamed, the headers could leave alone and the client be cut off mid-answer
 * (TlsLoadBalancerIT caught one such request in a thousand). Answers are small JSON; one over
 * {@link #MAX_ANSWER_BYTES} fails rather than grow without bound.
 */
@Component
class WholeAnswerFilter implements GlobalFilter, Ordered {

    static final int MAX_ANSWER_BYTES = 8 * 1024 * 1024;

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        ServerHttpResponseDecorator whole = new ServerHttpResponseDecorator(exchange.getResponse()) {
            @Override
            public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
                // An empty body still goes through, so the answer is sent.
                return DataBufferUtils.join(body, MAX_ANSWER_BYTES).map(Optional::of).defaultIfEmpty(Optional.empty())
                        .flatMap(joined -> super.writeWith(Mono.justOrEmpty(joined)));
            }
        };
        return chain.filter(exchange.mutate().response(whole).build());
    }

    /**
     * Right after the request id, so it wraps the real response directly: filters after it that
     * decorate the response (IdempotencyFilter records the answer) hand their body to it.
     */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }
}
