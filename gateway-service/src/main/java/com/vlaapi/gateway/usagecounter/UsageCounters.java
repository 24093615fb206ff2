package com.vlaapi.gateway.usagecounter;

import com.vlaapi.gateway.redis.LuaScripts;
import com.vlaapi.servicecontract.settings.RedisProperties;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Each customer's monthly usage counter in Redis: where it lives (the limiter counts into it) and
 * how it is repaired after Redis trouble (see {@link UsageReconciler}).
 */
@Component
public class UsageCounters {

    /** Counters outlive their month by a few days so reports and reconciliation can still read them. */
    public static final Duration LIFETIME = Duration.ofDays(40);

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> RAISE = LuaScripts.load("usagecounter/raise-counter.lua", List.class);
    private static final RedisScript<Long> ADD_SERVED = LuaScripts.load("usagecounter/add-served.lua", Long.class);

    private final ReactiveStringRedisTemplate redis;
    private final String prefix;

    public UsageCounters(ReactiveStringRedisTemplate redis, RedisProperties names) {
        this.redis = redis;
        this.prefix = names.prefix();
    }

    // The {customer} hash tag keeps one customer's keys on one Redis Cluster slot (Lua needs that).
    public String counterKey(UUID customer, YearMonth month) {
        return prefix + "usage:{" + customer + "}:" + month;
    }

    /** Requests reserved and not yet settled; they count against the quota too. */
    public String reservationsKey(UUID customer, YearMonth month) {
        return counterKey(customer, month) + ":in-flight";
    }

    /** The month's counter as it is now (0 when Redis has none). */
    Mono<Long> counter(UUID customer, YearMonth month) {
        return redis.opsForValue().get(counterKey(customer, month)).map(Long::parseLong).defaultIfEmpty(0L);
    }

    /**
     * Raises the month's counter to {@code logged} plus whatever was settled since the counter read
     * {@code before} (those requests may be missing from the log count); true when it was raised.
     */
    Mono<Boolean> raise(UUID customer, YearMonth month, long logged, long before) {
        return redis.execute(RAISE, List.of(counterKey(customer, month)),
                        List.of(Long.toString(logged), Long.toString(before), Long.toString(LIFETIME.toSeconds())))
                .next()
                .map(reply -> ((Number) reply.get(1)).intValue() == 1);
    }

    /** Adds requests served while failing open to the month's counter. */
    Mono<Long> addServed(UUID customer, YearMonth month, long served) {
        return redis.execute(ADD_SERVED, List.of(counterKey(customer, month)),
                        List.of(Long.toString(served), Long.toString(LIFETIME.toSeconds())))
                .next();
    }

    /** Whether Redis still holds the counters it held when they were last known intact. */
    Mono<Boolean> intact() {
        return redis.hasKey(intactMarkerKey());
    }

    Mono<Boolean> markIntact() {
        return redis.opsForValue().set(intactMarkerKey(), "1");
    }

    /**
     * Written once the counters are known complete; a Redis that restarted empty has lost it. (Its
     * own key, outside any customer's hash slot, so it is never used inside a script.)
     */
    private String intactMarkerKey() {
        return prefix + "usage:counters-intact";
    }
}
