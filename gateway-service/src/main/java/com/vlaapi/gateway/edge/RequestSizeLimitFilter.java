package com.vlaapi.gateway.edge;

import com.vlaapi.gateway.GatewayProperties;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.RequestTooLargeException;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Caps request bodies at {@code vla.gateway.max-body-bytes}, before authentication: a declared
 * Content-Length over the cap gets 413 at once, and a body without one (chunked) fails as soon as
 * the bytes counted pass the cap, so an oversized upload costs neither a key lookup nor an
 * inference server's time.
 */
@Component
class RequestSizeLimitFilter implements GlobalFilter, Ordered {

    private final long maxBytes;

    RequestSizeLimitFilter(GatewayProperties properties) {
        this.maxBytes = properties.maxBodyBytes().toBytes();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (exchange.getRequest().getHeaders().getContentLength() > maxBytes) {
            return UnreadBody.refuseAndClose(exchange, ApiError.requestTooLarge(maxBytes));
        }
        AtomicLong received = new AtomicLong();
        ServerHttpRequestDecorator counted = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                return super.getBody().handle((buffer, sink) -> {
                    if (received.addAndGet(buffer.readableByteCount()) > maxBytes) {
                        DataBufferUtils.release(buffer);
                        // Answered by GatewayErrorHandler in the one error body, if nothing was sent yet.
                        sink.error(new RequestTooLargeException(maxBytes));
                    } else {
                        sink.next(buffer);
                    }
                });
            }
        };
        return chain.filter(exchange.mutate().request(counted).build());
    }

    /** After the request id (so the 413 carries one), before authentication. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 5;
    }
}
