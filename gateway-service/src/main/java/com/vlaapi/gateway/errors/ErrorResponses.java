package com.vlaapi.gateway.errors;

import com.vlaapi.gateway.requestid.RequestIdFilter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Writes {@code {"error": {"type", "code", "message", "request_id"}}} for errors raised at the gateway. */
@Component
public class ErrorResponses {

    private final JsonMapper json;

    public ErrorResponses(JsonMapper json) {
        this.json = json;
    }

    public Mono<Void> write(ServerWebExchange exchange, ApiError error) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.empty();
        }
        String requestId = RequestIdFilter.of(exchange);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("type", error.type());
        body.put("code", error.code());
        body.put("message", error.message());
        body.put("request_id", requestId);
        byte[] bytes = json.writeValueAsString(Map.of("error", body)).getBytes(StandardCharsets.UTF_8);
        response.setStatusCode(error.status());
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().set(RequestIdFilter.HEADER, requestId);
        if (error.status().value() == 401) {
            response.getHeaders().set("WWW-Authenticate", "Bearer realm=\"vla-api\"");
        }
        DataBuffer buffer = response.bufferFactory().wrap(bytes);
        return response.writeWith(Mono.just(buffer));
    }
}
