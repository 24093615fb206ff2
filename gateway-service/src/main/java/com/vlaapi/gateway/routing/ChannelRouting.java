package com.vlaapi.gateway.routing;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

import com.vlaapi.gateway.apikey.ApiKeyAuthenticationFilter;
import com.vlaapi.gateway.apikey.ResolvedApiKey;
import com.vlaapi.gateway.requestid.RequestIdFilter;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Sends {@code POST /v1/inference} to the instance the load balancer chose over that instance's
 * inference channel ({@link InferenceChannels}) instead of an HTTP request of its own: the body
 * and the gateway's identification of the caller travel in one WebSocket frame, and the answer's
 * status, Retry-After and body come back in one. inference-service serves, logs and bills it as
 * it does the same request over HTTP. Everything else routed to inference-service, and a request
 * whose answer could differ over the channel (no body, a body that is not plain JSON, an Accept
 * that excludes JSON, a Content-Encoding), goes over HTTP as before, as does every request while
 * the instance has no channel. A channel that closes or an instance that does not take the request fails as a lost or
 * refused connection does, so that the load balancer's retry and the error answers stay the same.
 */
@Component
class ChannelRouting implements GlobalFilter, Ordered {

    private static final String PATH = "/v1/inference";

    private final InferenceChannels channels;

    ChannelRouting(InferenceChannels channels) {
        this.channels = channels;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        URI url = exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR);
        URI instance = exchange.getAttribute(InferenceLoadBalancer.INSTANCE_ATTRIBUTE);
        ResolvedApiKey key = exchange.getAttribute(ApiKeyAuthenticationFilter.CUSTOMER_ATTRIBUTE);
        if (url == null || instance == null || key == null || ServerWebExchangeUtils.isAlreadyRouted(exchange)
                || !PATH.equals(url.getRawPath()) || !answersAlikeOverTheChannel(exchange.getRequest())) {
            return chain.filter(exchange);
        }
        byte[] attached = ReplayableBody.attached(exchange);
        Mono<byte[]> body = attached != null ? Mono.just(attached) : ReplayableBody.read(exchange);
        String requestId = RequestIdFilter.of(exchange).toString();
        // An empty body goes over HTTP, where "no body" is answered before any JSON is read; the channel has no such case.
        return body.flatMap(bytes -> (bytes.length == 0 ? Mono.<InferenceChannels.Answer>empty()
                        : channels.send(instance, requestId, key, bytes))
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(answer -> answer.isPresent() ? write(exchange, answer.get())
                        : chain.filter(attached != null ? exchange : ReplayableBody.attach(exchange, bytes))));
    }

    /**
     * A POST whose body is JSON as sent (no Content-Encoding) and whose client takes JSON: the
     * only headers inference-service reads besides the gateway's own are Content-Type and Accept,
     * and for these it answers over the channel exactly as over HTTP. The rest get HTTP's answer
     * (415, 406, ...) from HTTP.
     */
    static boolean answersAlikeOverTheChannel(ServerHttpRequest request) {
        HttpHeaders headers = request.getHeaders();
        if (request.getMethod() != HttpMethod.POST || headers.containsHeader(HttpHeaders.CONTENT_ENCODING)) {
            return false;
        }
        try {
            MediaType type = headers.getContentType();
            return type != null && type.equalsTypeAndSubtype(MediaType.APPLICATION_JSON)
                    && type.getParameters().entrySet().stream().allMatch(parameter ->
                            "charset".equalsIgnoreCase(parameter.getKey()) && "utf-8".equalsIgnoreCase(parameter.getValue()))
                    && takesJson(headers.get(HttpHeaders.ACCEPT));
        } catch (InvalidMediaTypeException unreadable) {
            return false;
        }
    }

    private static boolean takesJson(List<String> accept) {
        if (accept == null) {
            return true;
        }
        return MediaType.parseMediaTypes(accept).stream()
                .anyMatch(type -> type.getQualityValue() > 0 && type.isCompatibleWith(MediaType.APPLICATION_JSON));
    }

    private static Mono<Void> write(ServerWebExchange exchange, InferenceChannels.Answer answer) {
        ServerWebExchangeUtils.setAlreadyRouted(exchange);
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatusCode.valueOf(answer.status()));
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.setContentLength(answer.body().length);
        if (answer.retryAfter() != null) {
            headers.set(HttpHeaders.RETRY_AFTER, answer.retryAfter());
        }
        return response.writeWith(Mono.just(response.bufferFactory().wrap(answer.body())));
    }

    /** Just before {@link NettyRoutingFilter}, which sends what this leaves over HTTP. */
    @Override
    public int getOrder() {
        return NettyRoutingFilter.ORDER - 1;
    }
}
