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
        return run(key, month, arguments(key, requestId, List.of()));
    }

    /**
     * Reserves a slot for each of {@code requestIds} at once, if the customer's bucket and hard quota
     * keep three times as many afterwards (reserve.lua).
     *
     * @return the decision as of the lease (the slots taken), or nothing if it was not granted
     */
    public Mono<LimitDecision> lease(ResolvedApiKey key, List<String> requestIds, YearMonth month) {
        return run(key, month, arguments(key, requestIds.get(0), requestIds.subList(1, requestIds.size())))
                .filter(decision -> decision.outcome() == Outcome.ALLOWED);
    }

    private Mono<LimitDecision> run(ResolvedApiKey key, YearMonth month, List<String> arguments) {
        return redis.execute(RESERVE, keys(key, month), arguments)
                .next()
                .map(reply -> {
                    List<?> expired = (List<?>) reply.get(4);
                    if (!expired.isEmpty()) {
                        abandoned.expired(key.customerId(), month, expired.stream().map(Object::toString).toList());
                    }
                    return new LimitDecision(Outcome.values()[((Number) reply.get(0)).intValue()],
                            ((Number) reply.get(1)).longValue(), ((Number) reply.get(2)).longValue(),
                            ((Number) reply.get(3)).longValue(), false);
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
