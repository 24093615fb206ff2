package com.vlaapi.gateway.ratelimit;

import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param meteredTiers    tiers billed beyond their monthly quota instead of being stopped
 * @param sharedDecisionTimeout  a connected Redis that has not answered by then is treated as down
 * @param reservationTtl         an in-flight request whose gateway died stops counting after this long
 */
@ConfigurationProperties("vla.limits")
public record LimitsProperties(Set<String> meteredTiers, Duration sharedDecisionTimeout, Duration reservationTtl) {
}
