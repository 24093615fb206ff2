package com.vlaapi.billing;

import com.vlaapi.servicecontract.servlet.ServiceSettings;
import java.net.InetAddress;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code vla.billing.*}; its usage endpoint, metrics, read models and prices have records of their
 * own under that prefix. The body limit has room for a full batch of usage events (up to
 * {@code vla.billing.usage.max-batch-size} events of about 200 bytes each).
 */
@ConfigurationProperties("vla.billing")
public record BillingProperties(
        @DefaultValue("8083") int port,
        @DefaultValue("127.0.0.1") InetAddress address,
        @DefaultValue("4MB") DataSize maxBodyBytes,
        @DefaultValue("10s") Duration readTimeout,
        @DefaultValue("60s") Duration idleTimeout) implements ServiceSettings {
}
