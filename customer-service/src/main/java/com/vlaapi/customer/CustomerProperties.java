package com.vlaapi.customer;

import com.vlaapi.servicecontract.servlet.ServiceSettings;
import java.net.InetAddress;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** {@code vla.customer.*}; its tiers and key events are {@code vla.customer.tiers.*} and {@code vla.customer.key-events.*}. */
@ConfigurationProperties("vla.customer")
public record CustomerProperties(
        @DefaultValue("8082") int port,
        @DefaultValue("127.0.0.1") InetAddress address,
        @DefaultValue("1MB") DataSize maxBodyBytes,
        @DefaultValue("10s") Duration readTimeout,
        @DefaultValue("60s") Duration idleTimeout) implements ServiceSettings {
}
