package com.vlaapi.inference.usage;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code vla.inference.usage-relay.*}: how billable requests travel from the usage outbox to
 * billing-service (where billing-service is: {@code vla.billing.url}).
 *
 * @param enabled         false leaves events in the outbox (they wait; nothing is lost)
 * @param batchSize       most events per push; billing accepts up to 10,000
 * @param pollInterval    pause when the outbox is empty
 * @param maxRetryBackoff longest pause between attempts while billing is unreachable or failing
 * @param requestTimeout  longest one push may take before it counts as failed (and is retried)
 * @param metricsInterval how often the backlog and lag gauges are re-read from the outbox
 */
@ConfigurationProperties("vla.inference.usage-relay")
public record UsageRelayProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1000") int batchSize,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("30s") Duration maxRetryBackoff,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("5s") Duration metricsInterval) {

    public UsageRelayProperties {
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("vla.inference.usage-relay.batch-size must be 1..10000, not " + batchSize);
        }
    }
}
