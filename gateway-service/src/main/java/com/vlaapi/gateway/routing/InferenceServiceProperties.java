package com.vlaapi.gateway.routing;

import java.net.URI;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param urls inference-service instances, load-balanced round robin ({@code vla.inference.urls};
 *             in the environment a comma-separated list)
 */
@ConfigurationProperties("vla.inference")
public record InferenceServiceProperties(@DefaultValue("http://127.0.0.1:8081") List<URI> urls) {

    public InferenceServiceProperties {
        if (urls.isEmpty()) {
            throw new IllegalStateException("vla.inference.urls is empty: set VLA_INFERENCE_URLS");
        }
    }
}
