package com.vlaapi.gateway.edge;

import com.vlaapi.gateway.LoopTimers;
import com.vlaapi.gateway.requestid.RequestIdFilter;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.reactive.ReactiveErrorWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * A refusal decided before the request's body was read (refused keys, limits, a declared size over
 * the cap). The body is read and dropped first, for at most {@link #LINGER} and
 * {@link #LINGER_BYTES} (network work, no parsing; the request is still refused before any lookup):
 * a connection must not carry another request behind a body nobody read, and a socket closed with
 * body bytes unread answers the client with a reset, which destroys the refusal before a client
 * that sends its whole body first (Python's requests, http.client) reads it. A body read to its end
 * leaves the connection clean, so it stays open, as nginx keeps it after discarding a body: a
 * client that retries after a 429 or fixes its key pays no new connection. A body cut short by
 * either bound, or never sent (the client asked {@code Expect: 100-continue}, or declared more than
 * the bound), closes the connection after the refusal, as does a body over the size cap, whatever
 * was read.
 */
public final class UnreadBody {

    static final Duration LINGER = Duration.ofSeconds(2);
    static final long LINGER_BYTES = 64L * 1024 * 1024;

    private UnreadBody() {
    }

    /** Refuses, keeping the connection if the body was read to its end. */
    public static Mono<Void> refuse(ServerWebExchange exchange, ApiError error) {
        return refuse(exchange, error, false);
    }

    /** Refuses and closes the connection, as nginx does after a 413: a client sending too much is stopped. */
    public static Mono<Void> refuseAndClose(ServerWebExchange exchange, ApiError error) {
        return refuse(exchange, error, true);
    }

    private static Mono<Void> refuse(ServerWebExchange exchange, ApiError error, boolean close) {
        return dropToEnd(exchange.getRequest()).flatMap(readToEnd -> {
            if (close || !readToEnd) {
                exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
            }
            return ReactiveErrorWriter.write(exchange, error, RequestIdFilter.of(exchange));
        });
    }

    /** Whether the whole body was read (and dropped) within the bounds. */
    private static Mono<Boolean> dropToEnd(ServerHttpRequest request) {
        HttpHeaders headers = request.getHeaders();
        if ("100-continue".equalsIgnoreCase(headers.getFirst(HttpHeaders.EXPECT))
                || headers.getContentLength() > LINGER_BYTES) {
            return Mono.just(false);
        }
        AtomicBoolean ended = new AtomicBoolean();
        return DataBufferUtils.takeUntilByteCount(request.getBody().doOnComplete(() -> ended.set(true)), LINGER_BYTES)
                .doOnNext(DataBufferUtils::release)
                .takeUntilOther(LoopTimers.afterOnThisLoop(LINGER))
                .onErrorComplete()
                .then(Mono.fromSupplier(ended::get));
    }
}
