package com.vlaapi.gateway.routing;

import java.util.Locale;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * inference-service's answer headers as the client gets them: without the hop-by-hop ones, which
 * describe the upstream connection. Usually there are none, and then nothing is copied.
 */
@Component
class UpstreamResponseHeaders implements HttpHeadersFilter {

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        if (input.headerNames().stream().noneMatch(name -> HopByHopHeaders.is(name.toLowerCase(Locale.ROOT)))) {
            return input;
        }
        HttpHeaders kept = new HttpHeaders();
        input.forEach((name, values) -> {
            if (!HopByHopHeaders.is(name.toLowerCase(Locale.ROOT))) {
                kept.addAll(name, values);
            }
        });
        return kept;
    }

    @Override
    public boolean supports(Type type) {
        return type == Type.RESPONSE;
    }
}
