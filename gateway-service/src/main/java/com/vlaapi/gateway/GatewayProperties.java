package com.vlaapi.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Gateway settings; each can be set from the environment (for example {@code VLA_INFERENCE_URLS}
 * as a comma-separated list).
 *
 * @param internalToken      shared secret proving to internal services that a call came through us
 * @param customerServiceUrl where API keys are resolved
 * @param inferenceUrls      inference-service instances, load-balanced round robin
 * @param keyCacheTtl        how long a resolved key is trusted from Redis
 * @param localKeyCacheTtl   how long a resolved key is trusted from this process's memory
 * @param lastUsedReportInterval how often keys' last use is sent to customer-service
 */
@ConfigurationProperties("vla")
public record GatewayProperties(
        String internalToken,
        URI customerServiceUrl,
        List<URI> inferenceUrls,
        Duration keyCacheTtl,
        Duration localKeyCacheTtl,
        Duration lastUsedReportInterval) {

    public GatewayProperties {
        if (internalToken == null || internalToken.isBlank()) {
            throw new IllegalStateException("vla.internal-token is not set: export VLA_INTERNAL_TOKEN "
                    + "(bin/vla up generates one in .vla/internal-token)");
        }
        if (inferenceUrls == null || inferenceUrls.isEmpty()) {
            throw new IllegalStateException("vla.inference-urls is empty: set VLA_INFERENCE_URLS");
        }
    }
}
