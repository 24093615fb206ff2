package com.vlaapi.servicecontract.reactive;

import com.vlaapi.servicecontract.ServiceHeaders;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.ErrorBody;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Writes the one error body for a reactive (WebFlux) service: the gateway. */
public final class ReactiveErrorWriter {

    private ReactiveErrorWriter() {
    }

    public static Mono<Void> write(ServerWebExchange exchange, ApiError error, UUID requestId) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.empty();
        }
        exchange.getAttributes().put(ApiError.ATTRIBUTE, error);
        response.setStatusCode(error.status());
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().set(ServiceHeaders.REQUEST_ID, requestId.toString());
        if (error.status().value() == 401) {
            response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"vla-api\"");
        }
        return response.writeWith(Mono.just(response.bufferFactory().wrap(ErrorBody.json(error, requestId))));
    }
}
