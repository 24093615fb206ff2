package com.vlaapi.gateway.ratelimit;

import com.vlaapi.gateway.apikey.ResolvedApiKey;
import com.vlaapi.gateway.ratelimit.LimitDecision.Outcome;
import com.vlaapi.servicecontract.settings.RedisProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Per-customer token bucket and monthly quota in Redis, decided atomically by a Lua script so that
 * any number of gateway instances agree. A request reserves a slot before it is forwarded and
 * settles it afterwards: only successful inferences become usage, and concurrent requests can
 * never overshoot a hard quota.
 */
@Component
public class RedisLimiter {

    /** Counters outlive their month by a few days so reports and reconciliation can still read them. */
    private static final Duration COUNTER_LIFETIME = Duration.ofDays(40);

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> RESERVE = script("reserve.lua", List.class);
    private static final RedisScript<Long> SETTLE = script("settle.lua", Long.class);
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> RAISE = script("raise-counter.lua", List.class);
    private static final RedisScript<Long> ADD_SERVED = script("add-served.lua", Long.class);

    private final ReactiveStringRedisTemplate redis;
    private final String prefix;
    private final LimitsProperties limits;

    public RedisLimiter(ReactiveStringRedisTemplate redis, RedisProperties names, LimitsProperties limits) {
        this.redis = redis;
        this.prefix = names.prefix();
        this.limits = limits;
    }

    public Mono<LimitDecision> reserve(ResolvedApiKey key, String requestId, YearMonth month) {
        double tokensPerMilli = key.rateLimitPerMinute() / 60_000.0;
        List<String> keys = List.of(bucketKey(key), counterKey(key, month), reservationsKey(key, month));
        return redis.execute(RESERVE, keys, List.of(
                        Double.toString(tokensPerMilli), Integer.toString(key.rateLimitPerMinute()),
                        Long.toString(key.monthlyQuota()), key.metered() ? "0" : "1", requestId,
                        Long.toString(limits.reservationTtl().toMillis()), Long.toString(COUNTER_LIFETIME.toSeconds())))
                .next()
                .map(reply -> new LimitDecision(Outcome.values()[((Number) reply.get(0)).intValue()],
                        ((Number) reply.get(1)).longValue(), ((Number) reply.get(2)).longValue(),
                        ((Number) reply.get(3)).longValue(), false));
    }

    public Mono<Long> settle(ResolvedApiKey key, String requestId, YearMonth month, boolean success) {
        return redis.execute(SETTLE, List.of(counterKey(key, month), reservationsKey(key, month)),
                        List.of(requestId, success ? "1" : "0", Long.toString(COUNTER_LIFETIME.toSeconds())))
                .next();
    }

    /** The month's counter as it is now (0 when Redis has none). */
    public Mono<Long> counter(UUID customer, YearMonth month) {
        return redis.opsForValue().get(counterKey(customer, month)).map(Long::parseLong).defaultIfEmpty(0L);
    }

    /**
     * Raises the month's counter to {@code logged} plus whatever was settled since the counter read
     * {@code before} (those requests may be missing from the log count); true when it was raised.
     */
    public Mono<Boolean> raiseCounter(UUID customer, YearMonth month, long logged, long before) {
        return redis.execute(RAISE, List.of(counterKey(customer, month)),
                        List.of(Long.toString(logged), Long.toString(before), Long.toString(COUNTER_LIFETIME.toSeconds())))
                .next()
                .map(reply -> ((Number) reply.get(1)).intValue() == 1);
    }

    /** Adds requests served while failing open to the month's counter. */
    public Mono<Long> addServed(UUID customer, YearMonth month, long served) {
        return redis.execute(ADD_SERVED, List.of(counterKey(customer, month)),
                        List.of(Long.toString(served), Long.toString(COUNTER_LIFETIME.toSeconds())))
                .next();
    }

    /** Whether Redis still holds the counters it held when they were last known intact. */
    public Mono<Boolean> countersIntact() {
        return redis.hasKey(intactMarkerKey());
    }

    public Mono<Boolean> markCountersIntact() {
        return redis.opsForValue().set(intactMarkerKey(), "1");
    }

    /**
     * Reads the script once. A script built from a Resource re-checks the resource's modification
     * time on every call, which inside a jar means opening the jar entry for every request.
     */
    private static <T> RedisScript<T> script(String file, Class<T> resultType) {
        try {
            String text = new ClassPathResource("ratelimit/" + file).getContentAsString(StandardCharsets.UTF_8);
            return RedisScript.of(text, resultType);
        } catch (IOException e) {
            throw new UncheckedIOException("rate-limit script ratelimit/" + file + " is missing from the jar", e);
        }
    }

    // The {customer} hash tag keeps one customer's keys on one Redis Cluster slot (Lua needs that).
    private String bucketKey(ResolvedApiKey key) {
        return prefix + "ratelimit:{" + key.customerId() + "}:bucket";
    }

    String counterKey(ResolvedApiKey key, YearMonth month) {
        return counterKey(key.customerId(), month);
    }

    private String counterKey(UUID customer, YearMonth month) {
        return prefix + "usage:{" + customer + "}:" + month;
    }

    /**
     * Written once the counters are known complete; a Redis that restarted empty has lost it. (Its
     * own key, outside any customer's hash slot, so it is never used inside a script.)
     */
    private String intactMarkerKey() {
        return prefix + "usage:counters-intact";
    }

    private String reservationsKey(ResolvedApiKey key, YearMonth month) {
        return prefix + "usage:{" + key.customerId() + "}:" + month + ":in-flight";
    }
}
