package com.vlaapi.billing.readmodel;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code vla.billing.read-models.*}.
 *
 * @param waitTimeout how long billing-service waits at startup for customer- and
 *                    inference-service to publish their read models before it gives up
 */
@ConfigurationProperties("vla.billing.read-models")
record ReadModelProperties(@DefaultValue("5m") Duration waitTimeout) {
}
