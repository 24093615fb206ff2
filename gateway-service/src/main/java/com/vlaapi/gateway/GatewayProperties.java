package com.vlaapi.gateway;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code vla.gateway.*}; its limits are {@code vla.gateway.limits.*}.
 *
 * @param port                   where clients reach the API
 * @param address                the address it listens on
 * @param keyCacheTtl            how long a resolved key is trusted from Redis
 * @param localKeyCacheTtl       how long a resolved key is trusted from this process's memory
 * @param unknownKeyCacheTtl     how long a key customer-service does not know is answered as unknown
 *                               from Redis and memory, without asking again
 * @param staleKeyTtl            how long a key's last known state is kept, to answer while customer-service is down
 * @param lastUsedReportInterval how often keys' last use is sent to customer-service
 * @param maxBodyBytes           largest request body; a bigger one gets 413 before it reaches an inference server
 * @param readTimeout            longest pause while a request's body arrives; a client stalled longer is cut off
 * @param requestReadTimeout     longest a request's body may take to arrive in all; a trickling client is cut off
 * @param idleTimeout            how long a kept-alive connection may wait for its next request
 * @param failedAuthenticationsPerMinute failed authentications one client address may make per minute;
 *                               beyond them its requests get 429 without a key lookup
 * @param trustedProxies         proxies in front of the gateway whose X-Forwarded-For names the client
 * @param refusalLogWindow       refusals of one kind to one client get one access log line per window, with
 *                               their count; zero writes one per refusal
 * @param inferenceChannel       {@code POST /v1/inference} and session observations travel to inference-service
 *                               on one WebSocket per instance (its inference channel) rather than as one
 *                               HTTP request each
 */
@ConfigurationProperties("vla.gateway")
public record GatewayProperties(
        @DefaultValue("8080") int port,
        @DefaultValue("127.0.0.1") InetAddress address,
        @DefaultValue("30s") Duration keyCacheTtl,
        @DefaultValue("5s") Duration localKeyCacheTtl,
        @DefaultValue("60s") Duration unknownKeyCacheTtl,
        @DefaultValue("24h") Duration staleKeyTtl,
        @DefaultValue("30s") Duration lastUsedReportInterval,
        @DefaultValue("12MB") DataSize maxBodyBytes,
        @DefaultValue("10s") Duration readTimeout,
        @DefaultValue("30s") Duration requestReadTimeout,
        @DefaultValue("60s") Duration idleTimeout,
        @DefaultValue("120") int failedAuthenticationsPerMinute,
        @DefaultValue List<InetAddress> trustedProxies,
        @DefaultValue("1s") Duration refusalLogWindow,
        @DefaultValue("true") boolean inferenceChannel) {
}
