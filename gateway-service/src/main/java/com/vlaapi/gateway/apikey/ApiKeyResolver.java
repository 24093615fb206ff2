package com.vlaapi.gateway.apikey;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.vlaapi.gateway.GatewayProperties;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Key hash to customer, cheapest source first: this process's memory, then Redis (shared by all
 * gateway instances), then customer-service. A Redis failure is not an outage: we fall through to
 * customer-service. Unknown keys are remembered only in memory, briefly, so guessing keys cannot
 * hammer customer-service.
 */
@Component
public class ApiKeyResolver {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyResolver.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofMillis(200);
    private static final Duration SERVICE_TIMEOUT = Duration.ofSeconds(2);

    private final AsyncCache<String, Optional<ResolvedApiKey>> local;
    private final ReactiveStringRedisTemplate redis;
    private final WebClient customerService;
    private final JsonMapper json;
    private final GatewayProperties properties;

    public ApiKeyResolver(ReactiveStringRedisTemplate redis, WebClient.Builder webClients, JsonMapper json,
                          GatewayProperties properties) {
        this.redis = redis;
        this.json = json;
        this.properties = properties;
        this.local = Caffeine.newBuilder()
                .expireAfterWrite(properties.localKeyCacheTtl())
                .maximumSize(100_000)
                .buildAsync();
        this.customerService = webClients.baseUrl(properties.customerServiceUrl().toString())
                .defaultHeader("X-Internal-Token", properties.internalToken())
                .build();
    }

    public Mono<Optional<ResolvedApiKey>> resolve(String keyHash) {
        return Mono.fromFuture(local.get(keyHash, (hash, executor) -> fromRedisOrService(hash).toFuture()));
    }

    private Mono<Optional<ResolvedApiKey>> fromRedisOrService(String hash) {
        String redisKey = properties.redisKeyPrefix() + "apikey:" + hash;
        return redis.opsForValue().get(redisKey)
                .timeout(REDIS_TIMEOUT)
                .map(value -> Optional.of(json.readValue(value, ResolvedApiKey.class)))
                .onErrorResume(e -> {
                    log.warn("Redis unavailable for key lookup, asking customer-service: {}", e.toString());
                    return Mono.empty();
                })
                .switchIfEmpty(Mono.defer(() -> fromService(hash).flatMap(found -> remember(redisKey, found))));
    }

    private Mono<Optional<ResolvedApiKey>> fromService(String hash) {
        return customerService.get().uri("/internal/v1/api-keys/{hash}", hash)
                .retrieve()
                .bodyToMono(ResolvedApiKey.class)
                .map(Optional::of)
                .onErrorResume(WebClientResponseException.class, e -> e.getStatusCode() == HttpStatus.NOT_FOUND
                        ? Mono.just(Optional.empty()) : Mono.error(e))
                .timeout(SERVICE_TIMEOUT);
    }

    private Mono<Optional<ResolvedApiKey>> remember(String redisKey, Optional<ResolvedApiKey> found) {
        if (found.isEmpty()) {
            return Mono.just(found);
        }
        return redis.opsForValue().set(redisKey, json.writeValueAsString(found.get()), properties.keyCacheTtl())
                .timeout(REDIS_TIMEOUT)
                .onErrorResume(e -> Mono.just(false))
                .thenReturn(found);
    }
}
