package com.vlaapi.gateway.usagecounter;

import com.vlaapi.gateway.routing.InferenceLoadBalancer;
import io.micrometer.core.instrument.Counter;
import jakarta.annotation.PreDestroy;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Counts the requests whose quota reservation no gateway settled: the gateway that forwarded them
 * died (or took longer than the reservation lives). The reserve script hands over each such
 * reservation exactly once, when it expires, so exactly one gateway asks the request log how each
 * ended and adds the successful ones to the counter; a late settle of an expired reservation
 * counts nothing (settle-batch.lua), so none is counted twice. A request the log does not hold yet (its
 * row still in a journal, or PostgreSQL down) is asked about again, for up to {@link #GIVE_UP_AFTER}.
 */
@Component
public class AbandonedReservations {

    private static final Logger log = LoggerFactory.getLogger(AbandonedReservations.class);
    private static final Duration CHECK_DELAY = Duration.ofSeconds(2);
    private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(10);
    /** The request-outcomes endpoint's limit per call. */
    private static final int IDS_PER_QUERY = 1000;

    /** Whose counter a request belongs to. */
    private record CustomerMonth(UUID customer, YearMonth month) {
    }

    private record Pending(CustomerMonth counter, long foundNanos) {
    }

    private final Map<UUID, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean checkScheduled = new AtomicBoolean();
    private volatile boolean stopped;
    private final UsageCounters counters;
    private final WebClient internal;
    private final InferenceLoadBalancer inference;
    private final Counter served;
    private final Counter notServed;
    private final Counter unknown;

    public AbandonedReservations(UsageCounters counters, WebClient internalWebClient, InferenceLoadBalancer inference,
                                 MeterRegistry meters) {
        this.counters = counters;
        this.internal = internalWebClient;
        this.inference = inference;
        this.served = outcome(meters, "served");
        this.notServed = outcome(meters, "not_served");
        this.unknown = outcome(meters, "unknown");
    }

    private static Counter outcome(MeterRegistry meters, String outcome) {
        return Counter.builder("vla.gateway.usage.abandoned.reservations")
                .description("Reservations no gateway settled, by how the request log says they ended"
                        + " (unknown: not in the log after 10 minutes)")
                .tag("outcome", outcome)
                .register(meters);
    }

    /** Reservations of one customer-month that expired unsettled; the caller is the only one told. */
    public void expired(UUID customer, YearMonth month, List<String> requestIds) {
        long now = System.nanoTime();
        for (String id : requestIds) {
            pending.put(UUID.fromString(id), new Pending(new CustomerMonth(customer, month), now));
        }
        scheduleCheck();
    }

    /** A stopping gateway asks no more; what it had not asked about stays uncounted (logged). */
    @PreDestroy
    void stop() {
        stopped = true;
        if (!pending.isEmpty()) {
            log.warn("stopping with {} abandoned reservations not yet looked up in the request log; they are not counted",
                    pending.size());
        }
    }

    private void scheduleCheck() {
        if (!stopped && !pending.isEmpty() && checkScheduled.compareAndSet(false, true)) {
            Mono.delay(CHECK_DELAY)
                    .then(Mono.defer(this::check))
                    .onErrorResume(e -> {
                        log.warn("could not ask the request log about {} abandoned reservations (asking again): {}",
                                pending.size(), e.toString());
                        return Mono.empty();
                    })
                    .doFinally(signal -> {
                        checkScheduled.set(false);
                        scheduleCheck();
                    })
                    .subscribe();
        }
    }

    private Mono<Void> check() {
        List<UUID> ids = pending.keySet().stream().limit(IDS_PER_QUERY).toList();
        return internal.post()
                .uri(inference.nextInstance() + "/internal/v1/request-outcomes")
                .bodyValue(Map.of("request_ids", ids))
                .retrieve()
                .bodyToMono(JsonNode.class)
                .timeout(Duration.ofSeconds(10))
                .flatMap(answer -> count(ids, answer.get("status_codes")));
    }

    private Mono<Void> count(List<UUID> asked, JsonNode statusCodes) {
        Map<CustomerMonth, Long> successes = new HashMap<>();
        List<Mono<Long>> additions = new ArrayList<>();
        long now = System.nanoTime();
        for (UUID id : asked) {
            JsonNode status = statusCodes.get(id.toString());
            Pending request = pending.get(id);
            if (status != null) {
                pending.remove(id);
                if (status.asInt() == 200) {
                    successes.merge(request.counter(), 1L, Long::sum);
                    served.increment();
                } else {
                    notServed.increment();
                }
            } else if (now - request.foundNanos() > GIVE_UP_AFTER.toNanos()) {
                pending.remove(id);
                unknown.increment();
                log.warn("request {} of customer {} held a quota reservation no gateway settled, and the request log"
                        + " still does not know it after {}; not counted", id, request.counter().customer(), GIVE_UP_AFTER);
            }
        }
        successes.forEach((customerMonth, count) -> additions.add(
                counters.addServed(customerMonth.customer(), customerMonth.month(), count)
                        .doOnNext(used -> log.info("usage of customer {} in {}: {} requests whose gateway did not settle"
                                + " them added, now {}", customerMonth.customer(), customerMonth.month(), count, used))));
        return Mono.when(additions);
    }
}
