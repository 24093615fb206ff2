package com.vlaapi.gateway.ratelimit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code vla.gateway.limits.*}.
 *
 * @param enabled            off only for trusted internal deployments and the limits-on/off benchmark:
 *                           no limits, no counters, no limit headers
 * @param silentRedisTimeout a decision fails open once Redis has answered none of this instance's
 *                           commands for this long
 * @param maxDecisionWait    a decision fails open after this long even while Redis keeps answering
 *                           other commands (it is alive but this instance is far behind)
 * @param reservationTtl     an in-flight request whose gateway died stops counting after this long
 * @param settleDelay        how long a request's settle may wait to be sent to Redis with others
 *                           (QuotaSettlements); its slot counts against the quota meanwhile
 * @param leaseSize          slots a lease reserves at once for a customer who sends steadily
 *                           (QuotaLeases); 0 decides every request alone
 * @param leaseMaxAge        a leased slot not taken within this long is given back; a customer
 *                           counts as sending steadily when two of its requests come within it
 */
@ConfigurationProperties("vla.gateway.limits")
public record LimitsProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("100ms") Duration silentRedisTimeout,
        @DefaultValue("1s") Duration maxDecisionWait,
        @DefaultValue("60s") Duration reservationTtl,
        @DefaultValue("100ms") Duration settleDelay,
        @DefaultValue("16") int leaseSize,
        @DefaultValue("2s") Duration leaseMaxAge) {
}
