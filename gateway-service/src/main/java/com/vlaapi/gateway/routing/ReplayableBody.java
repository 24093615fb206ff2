package com.vlaapi.gateway.routing;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A request body read into memory once, so the request can be sent again: to another inference
 * instance after the first dropped it, or kept for an Idempotency-Key's fingerprint. Bodies are
 * otherwise streamed; this costs a copy of the body (at most {@code vla.gateway.max-body-bytes})
 * for as long as the request runs.
 */
public final class ReplayableBody {

    private static final String ATTRIBUTE = ReplayableBody.class.getName();

    private ReplayableBody() {
    }

    /** The whole body; empty for none. */
    public static Mono<byte[]> read(ServerWebExchange exchange) {
        return DataBufferUtils.join(exchange.getRequest().getBody())
                .map(joined -> {
                    byte[] bytes = new byte[joined.readableByteCount()];
                    joined.read(bytes);
                    DataBufferUtils.release(joined);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0]);
    }

    /** {@code exchange} whose body is {@code body}, as often as it is read. */
    public static ServerWebExchange attach(ServerWebExchange exchange, byte[] body) {
        exchange.getAttributes().put(ATTRIBUTE, body);
        ServerHttpRequestDecorator replayed = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                return Flux.defer(() -> Flux.just(exchange.getResponse().bufferFactory().wrap(body)));
            }
        };
        return exchange.mutate().request(replayed).build();
    }

    /** The body attached here; null when none is. */
    static byte[] attached(ServerWebExchange exchange) {
        return exchange.getAttribute(ATTRIBUTE);
    }

    /** Whether the body can be read again: attached here, or there is none. */
    static boolean canResend(ServerWebExchange exchange) {
        return attached(exchange) != null || !hasBody(exchange);
    }

    static boolean hasBody(ServerWebExchange exchange) {
        return exchange.getRequest().getHeaders().getContentLength() > 0
                || exchange.getRequest().getHeaders().containsHeader(HttpHeaders.TRANSFER_ENCODING);
    }
}
