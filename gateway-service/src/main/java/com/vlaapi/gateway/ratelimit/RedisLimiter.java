package com.vlaapi.gateway.ratelimit;

import com.vlaapi.gateway.apikey.ResolvedApiKey;
import com.vlaapi.gateway.ratelimit.LimitDecision.Outcome;
import com.vlaapi.gateway.redis.LuaScripts;
import com.vlaapi.gateway.usagecounter.AbandonedReservations;
import com.vlaapi.gateway.usagecounter.UsageCounters;
import com.vlaapi.servicecontract.settings.RedisProperties;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Per-customer token bucket and monthly quota in Redis, decided atomically by a Lua script so that
 * any number of gateway instances agree. A request reserves a slot before it is forwarded and
 * settles it afterwards ({@link QuotaSettlements}): only successful inferences become usage, and
 * concurrent requests can never overshoot a hard quota.
 */
@Component
public class RedisLimiter {

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> RESERVE = LuaScripts.load("ratelimit/reserve.lua", List.class);
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> LEASE = LuaScripts.load("ratelimit/lease.lua", List.class);

    private final ReactiveStringRedisTemplate redis;
    private final String prefix;
    private final UsageCounters counters;
    private final LimitsProperties limits;
    private final AbandonedReservations abandoned;

    public RedisLimiter(ReactiveStringRedisTemplate redis, RedisProperties names, UsageCounters counters,
                        LimitsProperties limits, AbandonedReservations abandoned) {
        this.redis = redis;
        this.prefix = names.prefix();
        this.counters = counters;
        this.limits = limits;
        this.abandoned = abandoned;
    }

    public Mono<LimitDecision> reserve(ResolvedApiKey key, String requestId, YearMonth month) {
        return redis.execute(RESERVE, keys(key, month), arguments(key, requestId, List.of()))
                .next()
                .map(reply -> {
                    handExpired(key, month, reply.get(4));
                    return new LimitDecision(Outcome.values()[((Number) reply.get(0)).intValue()],
                            ((Number) reply.get(1)).longValue(), ((Number) reply.get(2)).longValue(),
                            ((Number) reply.get(3)).longValue(), false);
                });
    }

    /**
     * Reserves a slot for each of {@code requestIds} at once if the customer's bucket and quota keep
     * as many again afterwards (lease.lua).
     *
     * @return the decision as of the lease (the slots taken), or nothing if it was not granted
     */
    public Mono<LimitDecision> lease(ResolvedApiKey key, List<String> requestIds, YearMonth month) {
        return redis.execute(LEASE, keys(key, month),
                        arguments(key, requestIds.get(0), requestIds.subList(1, requestIds.size())))
                .next()
                .mapNotNull(reply -> {
                    handExpired(key, month, reply.get(3));
                    return ((Number) reply.get(0)).intValue() == 1
                            ? new LimitDecision(Outcome.ALLOWED, 0, ((Number) reply.get(1)).longValue(),
                                    ((Number) reply.get(2)).longValue(), false)
                            : null;
                });
    }

    private List<String> keys(ResolvedApiKey key, YearMonth month) {
        return List.of(bucketKey(key), counterKey(key, month), reservationsKey(key, month));
    }

    private List<String> arguments(ResolvedApiKey key, String requestId, List<String> moreRequestIds) {
        double tokensPerMilli = key.rateLimitPerMinute() / 60_000.0;
        List<String> arguments = new ArrayList<>(7 + moreRequestIds.size());
        Collections.addAll(arguments, Double.toString(tokensPerMilli), Integer.toString(key.rateLimitPerMinute()),
                Long.toString(key.monthlyQuota()), key.metered() ? "0" : "1", requestId,
                Long.toString(limits.reservationTtl().toMillis()), Long.toString(UsageCounters.LIFETIME.toSeconds()));
        arguments.addAll(moreRequestIds);
        return arguments;
    }

    private void handExpired(ResolvedApiKey key, YearMonth month, Object expiredReply) {
        List<?> expired = (List<?>) expiredReply;
        if (!expired.isEmpty()) {
            abandoned.expired(key.customerId(), month, expired.stream().map(Object::toString).toList());
        }
    }

    // The {customer} hash tag keeps one customer's keys on one Redis Cluster slot (Lua needs that).
    private String bucketKey(ResolvedApiKey key) {
        return prefix + "ratelimit:{" + key.customerId() + "}:bucket";
    }

    private String counterKey(ResolvedApiKey key, YearMonth month) {
        return counters.counterKey(key.customerId(), month);
    }

    private String reservationsKey(ResolvedApiKey key, YearMonth month) {
        return counters.reservationsKey(key.customerId(), month);
    }
}
