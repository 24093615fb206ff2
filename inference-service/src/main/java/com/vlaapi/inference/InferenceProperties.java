package com.vlaapi.inference;

import com.vlaapi.servicecontract.servlet.ServiceSettings;
import java.net.InetAddress;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code vla.inference.*}; its request log and usage relay are {@code vla.inference.request-log.*}
 * and {@code vla.inference.usage-relay.*}, the model {@code vla.model.*}. By default it listens on
 * loopback only: the gateway is its one caller. The body limit leaves room for an 8 MiB image after
 * base64.
 */
@ConfigurationProperties("vla.inference")
public record InferenceProperties(
        @DefaultValue("8081") int port,
        @DefaultValue("127.0.0.1") InetAddress address,
        @DefaultValue("12MB") DataSize maxBodyBytes,
        @DefaultValue("10s") Duration readTimeout,
        @DefaultValue("60s") Duration idleTimeout) implements ServiceSettings {
}
