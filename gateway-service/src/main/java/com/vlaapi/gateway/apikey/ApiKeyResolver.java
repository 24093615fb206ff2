package com.vlaapi.gateway.apikey;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.vlaapi.gateway.GatewayProperties;
import com.vlaapi.gateway.RequestPathCaches;
import com.vlaapi.servicecontract.settings.RedisProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

/**
 * Key hash to customer, cheapest source first: this process's memory, then Redis (shared by all
 * gateway instances), then customer-service. A Redis failure is not an outage: we fall through to
 * customer-service. Keys customer-service does not know are remembered as unknown, in Redis and in
 * a memory cache of their own, so that guessing keys costs customer-service one lookup per guess
 * at most and cannot push known keys out of memory.
 *
 * <p>customer-service down is not an outage either: every answer is also kept in Redis as the
 * key's last known state for {@code stale-key-ttl}, and when customer-service cannot answer (an
 * error, not "unknown") that state is used. Key events delete it like the fresh entry, so a key
 * revoked while customer-service was up is never served from it.
 */
@Component
public class ApiKeyResolver {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyResolver.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofMillis(200);
    private static final Duration SERVICE_TIMEOUT = Duration.ofSeconds(2);
    /** Stored in Redis for a key customer-service does not know. */
    private static final String UNKNOWN = "unknown";

    private final AsyncCache<String, Optional<ResolvedApiKey>> local;
    private final Cache<String, Boolean> unknown;
    /** When each key hash was last invalidated by a key event (System.nanoTime). */
    private final Cache<String, Long> invalidated = RequestPathCaches.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(1))
            .maximumSize(100_000)
            .build();
    private final ReactiveStringRedisTemplate redis;
    private final WebClient customerService;
    private final JsonMapper json;
    private final GatewayProperties properties;
    private final RedisProperties names;
    private final Counter staleAnswers;
    /** Keys a key event named, for whoever holds them longer than a request (open WebSocket sessions). */
    private final Sinks.Many<String> changed = Sinks.many().multicast().directBestEffort();

    public ApiKeyResolver(ReactiveStringRedisTemplate redis, WebClient internalWebClient, JsonMapper json,
                          GatewayProperties properties, CustomerServiceProperties customerService,
                          RedisProperties names, MeterRegistry meters) {
        this.redis = redis;
        this.staleAnswers = Counter.builder("vla.gateway.keys.stale.answers")
                .description("Key lookups answered from the key's last known state because customer-service could not answer")
                .register(meters);
        this.json = json;
        this.properties = properties;
        this.names = names;
        this.local = RequestPathCaches.newBuilder()
                .expireAfterWrite(properties.localKeyCacheTtl())
                .maximumSize(100_000)
                .buildAsync();
        this.unknown = RequestPathCaches.newBuilder()
                .expireAfterWrite(properties.unknownKeyCacheTtl())
                .maximumSize(100_000)
                .build();
        this.customerService = internalWebClient.mutate().baseUrl(customerService.url().toString()).build();
    }

    public Mono<Optional<ResolvedApiKey>> resolve(String keyHash) {
        if (unknown.getIfPresent(keyHash) != null) {
            return Mono.just(Optional.empty());
        }
        return Mono.fromFuture(local.get(keyHash, (hash, executor) -> fromRedisOrService(hash).toFuture()))
                .doOnNext(found -> {
                    if (found.isEmpty()) {
                        unknown.put(keyHash, Boolean.TRUE);
                        local.synchronous().invalidate(keyHash);
                    }
                });
    }

    /**
     * A key event said these keys changed (revoked, rotated, plan changed): forget them here and in
     * Redis, so the next request asks customer-service.
     */
    public Mono<Void> forget(List<String> keyHashes) {
        long now = System.nanoTime();
        keyHashes.forEach(hash -> invalidated.put(hash, now));
        local.synchronous().invalidateAll(keyHashes);
        unknown.invalidateAll(keyHashes);
        List<String> redisKeys = keyHashes.stream().flatMap(hash -> Stream.of(redisKey(hash), lastKnownKey(hash))).toList();
        return redis.delete(redisKeys.toArray(String[]::new)).timeout(REDIS_TIMEOUT).onErrorResume(e -> Mono.empty())
                .then(Mono.fromRunnable(() -> keyHashes.forEach(
                        hash -> changed.emitNext(hash, Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(100))))));
    }

    /**
     * The hashes of keys a key event named (revoked, rotated, plan changed), as they are forgotten
     * here: their holders look them up again ({@link #resolve}) to learn what changed.
     */
    public Flux<String> changedKeys() {
        return changed.asFlux();
    }

    private String redisKey(String hash) {
        return names.apiKeyCacheKey(hash);
    }

    private Mono<Optional<ResolvedApiKey>> fromRedisOrService(String hash) {
        String redisKey = redisKey(hash);
        return redis.opsForValue().get(redisKey)
                .timeout(REDIS_TIMEOUT)
                .map(value -> UNKNOWN.equals(value) ? Optional.<ResolvedApiKey>empty()
                        : Optional.of(json.readValue(value, ResolvedApiKey.class)))
                .onErrorResume(e -> {
                    log.warn("Redis unavailable for key lookup, asking customer-service: {}", e.toString());
                    return Mono.empty();
                })
                .switchIfEmpty(Mono.defer(() -> {
                    long asked = System.nanoTime();
                    return fromService(hash)
                            .flatMap(found -> remember(hash, asked, found))
                            .onErrorResume(unavailable -> lastKnown(hash, unavailable));
                }));
    }

    /** customer-service could not answer: the key's last known state, if Redis has it; else the failure. */
    private Mono<Optional<ResolvedApiKey>> lastKnown(String hash, Throwable unavailable) {
        return redis.opsForValue().get(lastKnownKey(hash))
                .timeout(REDIS_TIMEOUT)
                .onErrorResume(e -> Mono.empty())
                .map(value -> {
                    staleAnswers.increment();
                    log.warn("customer-service cannot resolve keys ({}); answering from the keys' last known state",
                            unavailable.toString());
                    return Optional.of(json.readValue(value, ResolvedApiKey.class));
                })
                .switchIfEmpty(Mono.error(unavailable));
    }

    private String lastKnownKey(String hash) {
        return redisKey(hash) + ":last-known";
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

    /** An answer that a key event overtook may be stale: use it once, but do not share it via Redis. */
    private Mono<Optional<ResolvedApiKey>> remember(String hash, long asked, Optional<ResolvedApiKey> found) {
        Long lastEvent = invalidated.getIfPresent(hash);
        if (lastEvent != null && lastEvent - asked >= 0) {
            return Mono.just(found);
        }
        String value = found.map(json::writeValueAsString).orElse(UNKNOWN);
        Duration ttl = found.isPresent() ? properties.keyCacheTtl() : properties.unknownKeyCacheTtl();
        Mono<Boolean> lastKnown = found.isPresent()
                ? redis.opsForValue().set(lastKnownKey(hash), value, properties.staleKeyTtl())
                : redis.delete(lastKnownKey(hash)).map(deleted -> true);
        // Both writes at once, and not waited for: the answer is known, and a request (a 401 for a
        // guessed key above all) costs one Redis round trip, the lookup, not three.
        Mono.when(redis.opsForValue().set(redisKey(hash), value, ttl), lastKnown)
                .timeout(REDIS_TIMEOUT)
                .subscribe(null, e -> log.warn("could not cache key {}… in Redis: {}", hash.substring(0, 8), e.toString()));
        return Mono.just(found);
    }
}
