package com.vlaapi.gateway.usagecounter;

import com.github.benmanes.caffeine.cache.Cache;
import com.vlaapi.gateway.RequestPathCaches;
import com.vlaapi.gateway.routing.InferenceLoadBalancer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Keeps the monthly counters in Redis complete across Redis trouble.
 *
 * <ul>
 * <li>Successful requests served while failing open are counted here, per customer and month, and
 * added to the counters once Redis answers again. Exact: each success is counted either by its
 * settlement or here, never both.</li>
 * <li>A Redis that restarted empty has lost every counter. A marker key that only a complete set of
 * counters carries tells; then the counters of the customers this instance served lately are
 * raised to the request log's count (inference-service's internal usage endpoint), plus the
 * requests settled since the counter was read just before the log (a request is logged before it
 * is settled, so those may be missing from the count). Only a request logged before that read and
 * settled after it can still be counted twice. A customer whose counter had to be raised is
 * checked again after the next delay.</li>
 * </ul>
 */
@Component
public class UsageReconciler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(UsageReconciler.class);
    /** Lets the request log's asynchronous writer store the last rows first. */
    private static final Duration SETTLE_DELAY = Duration.ofSeconds(1);
    private static final Duration MARKER_CHECK_INTERVAL = Duration.ofSeconds(5);

    private record CustomerMonth(UUID customer, YearMonth month) {
    }

    /** Emptied as the counts reach Redis, so that once reconciled the request path skips all of this. */
    private final Map<CustomerMonth, Long> servedWhileOpen = new ConcurrentHashMap<>();
    private final Map<CustomerMonth, Boolean> toRebuild = new ConcurrentHashMap<>();
    private final Cache<CustomerMonth, Boolean> recentlyServed = RequestPathCaches.newBuilder()
            .expireAfterWrite(Duration.ofHours(1)).maximumSize(100_000).build();
    private final AtomicBoolean running = new AtomicBoolean();
    private final UsageCounters redis;
    private final WebClient internal;
    private final InferenceLoadBalancer inference;
    private volatile Disposable markerWatch;

    public UsageReconciler(UsageCounters redis, WebClient internalWebClient, InferenceLoadBalancer inference,
                           MeterRegistry meters) {
        this.redis = redis;
        this.internal = internalWebClient;
        this.inference = inference;
        Gauge.builder("vla.gateway.usage.unreconciled", this, UsageReconciler::unreconciled)
                .description("Customer-months whose usage counter in Redis still misses requests served while "
                        + "failing open, or waits for a rebuild from the request log")
                .register(meters);
    }

    private double unreconciled() {
        return servedWhileOpen.size() + toRebuild.size();
    }

    /** A request Redis decided: its customer's counter is one to rebuild if Redis loses its data. */
    public void decidedByRedis(UUID customer, YearMonth month) {
        recentlyServed.put(new CustomerMonth(customer, month), Boolean.TRUE);
    }

    /** A successful request that no Redis counter has seen. */
    public void servedWhileFailingOpen(UUID customer, YearMonth month) {
        servedWhileOpen.merge(new CustomerMonth(customer, month), 1L, Long::sum);
    }

    /** Called after Redis decided a request again; one reconciliation at a time. */
    public void redisAnswered() {
        if ((servedWhileOpen.isEmpty() && toRebuild.isEmpty()) || !running.compareAndSet(false, true)) {
            return;
        }
        Mono.delay(SETTLE_DELAY)
                .then(redis.intact())
                .flatMap(intact -> intact ? addServedCounts() : rebuildAll())
                .then(Mono.defer(this::rebuildPending))
                .onErrorResume(e -> {
                    log.warn("could not reconcile usage counters: {}", e.toString());
                    return Mono.empty();
                })
                .doFinally(signal -> running.set(false))
                .subscribe();
    }

    private Mono<Void> addServedCounts() {
        return Flux.fromIterable(List.copyOf(servedWhileOpen.keySet()))
                .concatMap(counter -> {
                    Long served = servedWhileOpen.remove(counter);
                    return served == null ? Mono.empty() : redis.addServed(counter.customer(), counter.month(), served)
                            .doOnNext(used -> log.info("usage of customer {} in {}: {} requests served while failing open added, now {}",
                                    counter.customer(), counter.month(), served, used))
                            .onErrorResume(e -> {
                                servedWhileOpen.merge(counter, served, Long::sum);
                                return Mono.error(e);
                            });
                })
                .then();
    }

    /** Redis restarted empty: every known counter comes from the log; the open-served ones are in it. */
    private Mono<Void> rebuildAll() {
        log.warn("Redis lost the usage counters; rebuilding them from the request log");
        for (CustomerMonth counter : List.copyOf(servedWhileOpen.keySet())) {
            toRebuild.put(counter, Boolean.TRUE);
            servedWhileOpen.remove(counter);
        }
        recentlyServed.asMap().keySet().forEach(counter -> toRebuild.put(counter, Boolean.TRUE));
        return redis.markIntact().then();
    }

    private Mono<Void> rebuildPending() {
        return Flux.fromIterable(Map.copyOf(toRebuild).keySet())
                .concatMap(counter -> {
                    toRebuild.remove(counter);
                    return rebuild(counter).onErrorResume(e -> {
                        toRebuild.put(counter, Boolean.TRUE);
                        return Mono.error(e);
                    });
                })
                .then();
    }

    /** Reads the counter before the log: see raise-counter.lua for why. */
    private Mono<Boolean> rebuild(CustomerMonth counter) {
        // Any instance answers from the shared request log; the balancer spreads the load and skips none.
        return redis.counter(counter.customer(), counter.month()).flatMap(before -> internal.get()
                .uri(inference.nextInstance() + "/internal/v1/usage/{customer}?month={month}", counter.customer(),
                        counter.month())
                .retrieve()
                .bodyToMono(JsonNode.class)
                .timeout(Duration.ofSeconds(5))
                .flatMap(usage -> {
                    long logged = usage.get("successful_requests").asLong();
                    return redis.raise(counter.customer(), counter.month(), logged, before).doOnNext(raised -> {
                        if (raised) {
                            log.info("usage of customer {} in {} raised to the request log's {} (plus settled since)",
                                    counter.customer(), counter.month(), logged);
                            toRebuild.put(counter, Boolean.TRUE);
                        }
                    });
                }));
    }

    /** Notices a Redis that restarted empty even when no request failed open meanwhile. */
    @Override
    public void start() {
        markerWatch = Flux.interval(Duration.ZERO, MARKER_CHECK_INTERVAL)
                .concatMap(tick -> redis.intact()
                        .filter(intact -> !intact && running.compareAndSet(false, true))
                        .flatMap(lost -> rebuildAll().then(Mono.delay(SETTLE_DELAY)).then(Mono.defer(this::rebuildPending))
                                .doFinally(signal -> running.set(false)))
                        .onErrorResume(e -> Mono.empty()))
                .subscribe();
    }

    @Override
    public void stop() {
        if (markerWatch != null) {
            markerWatch.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return markerWatch != null && !markerWatch.isDisposed();
    }
}
