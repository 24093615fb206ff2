package com.vlaapi.inference.usage;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code vla.usage-relay.*}: how billable requests travel from the usage outbox to billing-service.
 *
 * @param enabled         false leaves events in the outbox (they wait; nothing is lost)
 * @param billingUrl      billing-service base URL ({@code BILLING_SERVICE_URL})
 * @param batchSize       most events per push; billing accepts up to 10,000
 * @param pollInterval    pause when the outbox is empty
 * @param maxRetryBackoff longest pause between attempts while billing is unreachable or failing
 * @param requestTimeout  longest one push may take before it counts as failed (and is retried)
 * @param metricsInterval how often the backlog and lag gauges are re-read from the outbox
 */
@ConfigurationProperties("vla.usage-relay")
public record UsageRelayProperties(
        boolean enabled,
        URI billingUrl,
        int batchSize,
        Duration pollInterval,
        Duration maxRetryBackoff,
        Duration requestTimeout,
        Duration metricsInterval) {

    public UsageRelayProperties {
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("vla.usage-relay.batch-size must be 1..10000, not " + batchSize);
        }
    }
}
