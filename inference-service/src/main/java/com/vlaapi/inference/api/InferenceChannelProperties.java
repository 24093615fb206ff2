package com.vlaapi.inference.api;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code vla.inference.channel.*}: the gateway's channel for session observations
 * ({@link InferenceChannel}). A frame is capped like a request body, by {@code vla.inference.max-body-bytes}.
 *
 * @param workers       requests of the channel served at once (each waits for its batch, as a Tomcat thread
 *                      does for a REST request)
 * @param maxQueued     requests that may wait for a worker; one more is answered 503 {@code overloaded}
 * @param shutdownGrace on shutdown, how long requests in flight may take to be answered before the channel closes
 */
@ConfigurationProperties("vla.inference.channel")
public record InferenceChannelProperties(
        @DefaultValue("64") int workers,
        @DefaultValue("256") int maxQueued,
        @DefaultValue("10s") Duration shutdownGrace) {

    public InferenceChannelProperties {
        if (workers < 1 || maxQueued < 0) {
            throw new IllegalArgumentException("vla.inference.channel.workers must be at least 1 and max-queued not negative");
        }
    }
}
