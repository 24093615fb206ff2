package com.vlaapi.billing.readmodel;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param waitTimeout how long billing-service waits at startup for customer- and
 *                    inference-service to publish their read models before it gives up
 */
@ConfigurationProperties("vla.read-models")
record ReadModelProperties(Duration waitTimeout) {

    ReadModelProperties {
        if (waitTimeout == null) {
            waitTimeout = Duration.ofMinutes(5);
        }
    }
}
