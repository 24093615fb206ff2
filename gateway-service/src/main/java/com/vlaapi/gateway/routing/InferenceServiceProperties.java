package com.vlaapi.gateway.routing;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param urls inference-service instances, load-balanced round robin ({@code vla.inference.urls};
 *             in the environment a comma-separated list)
 * @param failureEjection how long an instance that refused a connection is left out of the rotation
 */
@ConfigurationProperties("vla.inference")
public record InferenceServiceProperties(@DefaultValue("http://127.0.0.1:8081") List<URI> urls,
                                         @DefaultValue("10s") Duration failureEjection) {

    public InferenceServiceProperties {
        if (urls.isEmpty()) {
            throw new IllegalStateException("vla.inference.urls is empty: set VLA_INFERENCE_URLS");
        }
    }
}
