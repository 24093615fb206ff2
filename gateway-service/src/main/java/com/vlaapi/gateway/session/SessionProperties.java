package com.vlaapi.gateway.session;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code vla.gateway.sessions.*}: the WebSocket sessions the gateway terminates ({@code /v1/sessions}
 * and {@code /v1/openpi}). A frame is capped like a REST body, by {@code vla.gateway.max-body-bytes}.
 *
 * @param heartbeatInterval      how often the gateway pings an open session
 * @param heartbeatTimeout       a session the client sent nothing on (no pong, no observation) for
 *                               this long is closed (4005)
 * @param maxSessionsPerKey      open sessions one API key may hold on one gateway instance
 * @param maxSessionsPerCustomer open sessions one customer's keys may hold together on one gateway instance
 * @param observationTimeout     longest the gateway waits for inference-service's answer to one observation
 * @param shutdownGrace          on shutdown, how long the gateway waits for observations in flight and
 *                               the close frames (1001) to leave
 * @param maxUnsentMessages      messages (chunks, errors, pings) that may wait for a client that does not
 *                               read, beyond what its connection buffers; one more drops the connection
 */
@ConfigurationProperties("vla.gateway.sessions")
public record SessionProperties(
        @DefaultValue("15s") Duration heartbeatInterval,
        @DefaultValue("45s") Duration heartbeatTimeout,
        @DefaultValue("8") int maxSessionsPerKey,
        @DefaultValue("32") int maxSessionsPerCustomer,
        @DefaultValue("30s") Duration observationTimeout,
        @DefaultValue("5s") Duration shutdownGrace,
        @DefaultValue("64") int maxUnsentMessages) {

    public SessionProperties {
        if (maxUnsentMessages < 1) {
            throw new IllegalArgumentException("vla.gateway.sessions.max-unsent-messages must be at least 1");
        }
    }
}
