package com.vlaapi.inference.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Inference metrics. Labels stay low-cardinality: model names are only loaded models (anything
 * else is "unknown"), statuses are HTTP codes, and customers are never labels (the request log
 * answers per-customer questions).
 */
@Component
class InferenceMetrics {

    static final String UNKNOWN_MODEL = "unknown";

    private final MeterRegistry registry;

    InferenceMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void requestCompleted(String model, int status, double totalMs) {
        String statusTag = String.valueOf(status);
        Counter.builder("vla.inference.requests")
                .description("Inference requests by model and HTTP status")
                .tags("model", model, "status", statusTag)
                .register(registry)
                .increment();
        Timer.builder("vla.inference.latency")
                .description("Server-side time from arrival to response")
                .tags("model", model, "status", statusTag)
                .serviceLevelObjectives(ms(1), ms(2), ms(5), ms(10), ms(20), ms(50), ms(100), ms(200), ms(500),
                        ms(1000), ms(2000), ms(5000))
                .register(registry)
                .record(Duration.ofNanos((long) (totalMs * 1e6)));
    }

    void batchRidden(String model, int batchSize) {
        DistributionSummary.builder("vla.inference.batch_size")
                .description("Size of the batch each successful request rode in")
                .tag("model", model)
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128)
                .register(registry)
                .record(batchSize);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
