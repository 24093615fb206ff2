package com.vlaapi.gateway.edge;

import com.vlaapi.gateway.requestid.RequestIdFilter;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.reactive.ReactiveErrorWriter;
import java.time.Duration;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * A refusal decided before the request's body was read (refused keys, limits, a declared size over
 * the cap). The connection is closed after it: kept alive, it would carry a body nobody reads, and
 * a busy-core CI run caught Reactor Netty no longer reading such a connection, so the client's
 * next request on it hung. Reactor Netty closes the socket as soon as the refusal is written, and
 * a socket closed with body bytes still unread answers the client with a reset, which destroys the
 * refusal before a client that sends its whole body first (Python's requests, http.client) reads
 * it. So the body is read and dropped first, for at most {@link #LINGER} and {@link #LINGER_BYTES}
 * (nginx's lingering close, done before the answer because Reactor Netty gives no hook after it):
 * network work, no parsing, and the request is still refused before any lookup. A client that
 * asked {@code Expect: 100-continue} has sent no body and gets the refusal at once.
 */
public final class UnreadBody {

    static final Duration LINGER = Duration.ofSeconds(2);
    static final long LINGER_BYTES = 64L * 1024 * 1024;

    private UnreadBody() {
    }

    public static Mono<Void> refuse(ServerWebExchange exchange, ApiError error) {
        exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
        return drop(exchange.getRequest())
                .then(Mono.defer(() -> ReactiveErrorWriter.write(exchange, error, RequestIdFilter.of(exchange))));
    }

    private static Mono<Void> drop(ServerHttpRequest request) {
        HttpHeaders headers = request.getHeaders();
        if ("100-continue".equalsIgnoreCase(headers.getFirst(HttpHeaders.EXPECT))
                || headers.getContentLength() > LINGER_BYTES) {
            return Mono.empty();
        }
        return DataBufferUtils.takeUntilByteCount(request.getBody(), LINGER_BYTES)
                .doOnNext(DataBufferUtils::release)
                .take(LINGER)
                .onErrorComplete()
                .then();
    }
}
