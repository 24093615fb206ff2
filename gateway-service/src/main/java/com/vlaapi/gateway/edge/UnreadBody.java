package com.vlaapi.gateway.edge;

import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * A reply sent before the request's body was read (refused keys, limits, a declared size over the
 * cap) closes the connection after it. Kept alive, the connection would carry a body nobody reads:
 * a busy-core CI run caught Reactor Netty no longer reading such a connection, so the client's
 * next request on it hung unanswered. Reading the body instead would spend work on a request
 * already refused.
 */
public final class UnreadBody {

    private UnreadBody() {
    }

    public static void closeConnectionAfterReply(ServerWebExchange exchange) {
        exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
    }
}
