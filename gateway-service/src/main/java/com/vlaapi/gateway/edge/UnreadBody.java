package com.vlaapi.gateway.edge;

import com.vlaapi.gateway.requestid.RequestIdFilter;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.reactive.ReactiveErrorWriter;
import java.time.Duration;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * A refusal sent before the request's body was read (refused keys, limits, a declared size over
 * the cap). The connection is closed after it: kept alive, it would carry a body nobody reads, and
 * a busy-core CI run caught Reactor Netty no longer reading such a connection, so the client's
 * next request on it hung. Closed at once, though, a socket with the body still arriving answers
 * it with a reset that can destroy the refusal before the client reads it (another busy-core run
 * saw "header parser received no bytes"). So the rest of the body is read and dropped after the
 * refusal is sent, for at most {@link #LINGER} and {@link #LINGER_BYTES} (nginx's lingering close):
 * network work, no parsing, and the request is still refused before any lookup.
 */
public final class UnreadBody {

    static final Duration LINGER = Duration.ofSeconds(2);
    static final long LINGER_BYTES = 64L * 1024 * 1024;

    private UnreadBody() {
    }

    public static Mono<Void> refuse(ServerWebExchange exchange, ApiError error) {
        exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
        return ReactiveErrorWriter.write(exchange, error, RequestIdFilter.of(exchange))
                .then(DataBufferUtils.takeUntilByteCount(exchange.getRequest().getBody(), LINGER_BYTES)
                        .doOnNext(DataBufferUtils::release)
                        .take(LINGER)
                        .onErrorComplete()
                        .then());
    }
}
