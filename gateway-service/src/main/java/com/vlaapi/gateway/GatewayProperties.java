package com.vlaapi.gateway;

import java.net.InetAddress;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code vla.gateway.*}; its limits are {@code vla.gateway.limits.*}.
 *
 * @param port                   where clients reach the API
 * @param address                the address it listens on
 * @param keyCacheTtl            how long a resolved key is trusted from Redis
 * @param localKeyCacheTtl       how long a resolved key is trusted from this process's memory
 * @param unknownKeyCacheTtl     how long a key customer-service does not know is answered as unknown
 *                               from Redis and memory, without asking again
 * @param lastUsedReportInterval how often keys' last use is sent to customer-service
 */
@ConfigurationProperties("vla.gateway")
public record GatewayProperties(
        @DefaultValue("8080") int port,
        @DefaultValue("127.0.0.1") InetAddress address,
        @DefaultValue("30s") Duration keyCacheTtl,
        @DefaultValue("5s") Duration localKeyCacheTtl,
        @DefaultValue("60s") Duration unknownKeyCacheTtl,
        @DefaultValue("30s") Duration lastUsedReportInterval) {
}
