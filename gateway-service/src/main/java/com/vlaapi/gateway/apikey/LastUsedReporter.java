package com.vlaapi.gateway.apikey;

import com.vlaapi.gateway.GatewayProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Keeps {@code api_keys.last_used_at} current without a database write per request: remembers the
 * latest use of each key in memory and sends them to customer-service in one batch every
 * {@code vla.gateway.last-used-report-interval}. A failed batch is merged back and sent next time.
 */
@Component
public class LastUsedReporter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LastUsedReporter.class);
    private static final int MAX_BATCH = 10_000;

    private record Use(UUID keyId, Instant at) {
    }

    private final Map<UUID, Instant> latest = new ConcurrentHashMap<>();
    private final WebClient customerService;
    private final Duration interval;
    private final Clock clock;
    private Disposable schedule;

    public LastUsedReporter(WebClient internalWebClient, GatewayProperties properties,
                            CustomerServiceProperties customerService, Clock clock) {
        this.clock = clock;
        this.customerService = internalWebClient.mutate().baseUrl(customerService.url().toString()).build();
        this.interval = properties.lastUsedReportInterval();
    }

    public void used(UUID keyId) {
        latest.merge(keyId, clock.instant(), (a, b) -> a.isAfter(b) ? a : b);
    }

    Mono<Void> report() {
        List<Use> batch = new ArrayList<>();
        for (UUID keyId : List.copyOf(latest.keySet())) {
            if (batch.size() == MAX_BATCH) {
                break;
            }
            Instant at = latest.remove(keyId);
            if (at != null) {
                batch.add(new Use(keyId, at));
            }
        }
        if (batch.isEmpty()) {
            return Mono.empty();
        }
        return customerService.post().uri("/internal/v1/api-keys/last-used")
                .bodyValue(Map.of("last_used", batch))
                .retrieve()
                .toBodilessEntity()
                .timeout(Duration.ofSeconds(5))
                .then()
                .onErrorResume(e -> {
                    log.warn("could not report last use of {} keys ({}); retrying next round", batch.size(), e.toString());
                    batch.forEach(use -> latest.merge(use.keyId(), use.at(), (a, b) -> a.isAfter(b) ? a : b));
                    return Mono.empty();
                });
    }

    @Override
    public void start() {
        schedule = Flux.interval(interval).concatMap(tick -> report()).subscribe();
    }

    /** Sends what is left before the instance goes away. */
    @Override
    public void stop() {
        if (schedule != null) {
            schedule.dispose();
            schedule = null;
        }
        report().block(Duration.ofSeconds(5));
    }

    @Override
    public boolean isRunning() {
        return schedule != null;
    }
}
