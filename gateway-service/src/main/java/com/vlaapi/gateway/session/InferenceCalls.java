package com.vlaapi.gateway.session;

import com.vlaapi.gateway.apikey.ResolvedApiKey;
import com.vlaapi.gateway.errors.Causes;
import com.vlaapi.gateway.routing.InferenceChannels;
import com.vlaapi.gateway.routing.InferenceLoadBalancer;
import com.vlaapi.gateway.routing.UpstreamRequestHeaders;
import java.net.ConnectException;
import java.net.URI;
import java.util.List;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * A session's calls to inference-service, with the headers a routed request gets (request id,
 * customer, key, internal token), on the instances the load balancer takes turns on. Observations
 * travel on the instance's channel ({@link InferenceChannels}) unless it has none or
 * {@code vla.gateway.inference-channel} is off; then, like the contract's reads, as HTTP.
 * A refused connection goes once to the next instance, like a routed request; the request id
 * stays, so inference-service logs and bills it once.
 */
@Component
public class InferenceCalls {

    /** inference-service's answer: its status and body. */
    public record Answer(int status, byte[] body, double upstreamMs) {
    }

    private final WebClient internal;
    private final InferenceLoadBalancer instances;
    private final SessionProperties properties;
    private final InferenceChannels channels;

    public InferenceCalls(WebClient internalWebClient, InferenceLoadBalancer instances, SessionProperties properties,
                          InferenceChannels channels) {
        this.internal = internalWebClient;
        this.instances = instances;
        this.properties = properties;
        this.channels = channels;
    }

    /** {@code POST /v1/inference} with {@code body} (JSON) for the customer of {@code key}. */
    public Mono<Answer> infer(ResolvedApiKey key, String requestId, byte[] body) {
        // The HTTP request is built only when the channel cannot take the observation, and the
        // channel's answer timer runs on its own loop, not on a shared scheduler.
        return onSomeInstance(instance -> channels.send(instance, requestId, key, body, properties.observationTimeout())
                .map(answer -> new Answer(answer.status(), answer.body(), answer.upstreamMs()))
                .switchIfEmpty(Mono.defer(() -> exchange(internal.post().uri(instance.resolve("/v1/inference"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .headers(h -> headers(h, key, requestId))
                        .bodyValue(body)))));
    }

    /** {@code GET path} (a model's contract), for the customer of {@code key}. */
    public Mono<Answer> get(ResolvedApiKey key, String requestId, String path, Object... uriVariables) {
        return onSomeInstance(instance -> exchange(internal.get().uri(instance + path, uriVariables)
                .headers(h -> headers(h, key, requestId))));
    }

    private static void headers(HttpHeaders h, ResolvedApiKey key, String requestId) {
        UpstreamRequestHeaders.identify(h, requestId, key);
        h.setAccept(List.of(MediaType.APPLICATION_JSON));
    }

    private Mono<Answer> onSomeInstance(Function<URI, Mono<Answer>> call) {
        URI first = instances.nextInstance();
        return Mono.defer(() -> call.apply(first)).onErrorResume(e -> Causes.has(e, ConnectException.class), refused -> {
            instances.failedBeforeAnswering(first, refused);
            URI second = instances.nextInstance();
            return second.equals(first) ? Mono.error(refused) : Mono.defer(() -> call.apply(second)).doOnError(
                    e -> Causes.has(e, ConnectException.class), e -> instances.failedBeforeAnswering(second, e));
        });
    }

    private Mono<Answer> exchange(WebClient.RequestHeadersSpec<?> request) {
        return Mono.defer(() -> {
            long start = System.nanoTime();
            return request.exchangeToMono(response -> response.bodyToMono(byte[].class)
                    .defaultIfEmpty(new byte[0])
                    .map(body -> new Answer(response.statusCode().value(), body, (System.nanoTime() - start) / 1e6)));
        }).timeout(properties.observationTimeout());
    }
}
