package com.vlaapi.gateway.ratelimit;

import com.vlaapi.gateway.GatewayProperties;
import com.vlaapi.gateway.apikey.ResolvedApiKey;
import java.time.Duration;
import java.time.YearMonth;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * While rate limiting fails open, successful requests are not counted in Redis. This remembers
 * which customers were served meanwhile and, once Redis answers again, raises their monthly
 * counters to what the request log says (inference-service's internal usage endpoint), so no
 * usage is lost from quotas.
 *
 * <p>A request that finishes between reading the log and raising the counter can be lost by the
 * raise (its increment is overwritten by a log count that did not include it yet). So a customer
 * whose counter had to be raised is checked again after the next delay, until a check finds the
 * counter already level with the log.
 */
@Component
public class UsageReconciler {

    private static final Logger log = LoggerFactory.getLogger(UsageReconciler.class);
    /** Lets the request log's asynchronous writer store the last rows first. */
    private static final Duration SETTLE_DELAY = Duration.ofSeconds(1);

    private final Map<ResolvedApiKey, YearMonth> servedWhileOpen = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final RedisLimiter redis;
    private final WebClient inference;

    public UsageReconciler(RedisLimiter redis, WebClient.Builder webClients, GatewayProperties properties) {
        this.redis = redis;
        this.inference = webClients.baseUrl(properties.inferenceUrls().get(0).toString())
                .defaultHeader("X-Internal-Token", properties.internalToken())
                .build();
    }

    void servedWhileFailingOpen(ResolvedApiKey key, YearMonth month) {
        servedWhileOpen.put(key, month);
    }

    /** Called after Redis decided a request again; reconciles at most one batch at a time. */
    void redisAnswered() {
        if (servedWhileOpen.isEmpty() || !running.compareAndSet(false, true)) {
            return;
        }
        Map<ResolvedApiKey, YearMonth> batch = Map.copyOf(servedWhileOpen);
        batch.keySet().forEach(servedWhileOpen::remove);
        Mono.delay(SETTLE_DELAY)
                .thenMany(Flux.fromIterable(batch.entrySet()))
                .concatMap(entry -> reconcile(entry.getKey(), entry.getValue())
                        .onErrorResume(e -> {
                            log.warn("could not reconcile usage of customer {}: {}", entry.getKey().customerId(), e.toString());
                            servedWhileOpen.put(entry.getKey(), entry.getValue());
                            return Mono.empty();
                        }))
                .doFinally(signal -> running.set(false))
                .subscribe();
    }

    private Mono<Boolean> reconcile(ResolvedApiKey key, YearMonth month) {
        return inference.get().uri("/internal/v1/usage/{customer}?month={month}", key.customerId(), month)
                .retrieve()
                .bodyToMono(JsonNode.class)
                .timeout(Duration.ofSeconds(5))
                .flatMap(usage -> {
                    long logged = usage.get("successful_requests").asLong();
                    return redis.raiseCounter(key, month, logged).doOnNext(raised -> {
                        if (raised) {
                            log.info("usage of customer {} in {} raised to the request log's {}", key.customerId(), month, logged);
                            servedWhileOpen.putIfAbsent(key, month);
                        }
                    });
                });
    }
}
