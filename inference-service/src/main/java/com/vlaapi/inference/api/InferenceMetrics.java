package com.vlaapi.inference.api;

import com.vlaapi.modelrunner.Prediction;
import com.vlaapi.servicecontract.metrics.ErrorCodeTag;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Inference metrics. Labels stay low-cardinality: model names are only loaded models (anything
 * else is "unknown"), statuses are HTTP codes, error codes come from the API's fixed list, and
 * customers are never labels (the request log answers per-customer questions).
 */
@Component
class InferenceMetrics {

    static final String UNKNOWN_MODEL = "unknown";

    private static final Duration[] LATENCY_BUCKETS = {ms(1), ms(2), ms(5), ms(10), ms(20), ms(50), ms(100),
            ms(200), ms(500), ms(1000), ms(2000), ms(5000)};

    private final MeterRegistry registry;

    InferenceMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void requestCompleted(String model, int status, String errorCode, double totalMs) {
        String statusTag = String.valueOf(status);
        Counter.builder("vla.inference.requests")
                .description("Inference requests by model, HTTP status and error code")
                .tags("model", model, "status", statusTag, ErrorCodeTag.KEY,
                        errorCode == null ? ErrorCodeTag.NONE : errorCode)
                .register(registry)
                .increment();
        Timer.builder("vla.inference.latency")
                .description("Server-side time from arrival to response")
                .tags("model", model, "status", statusTag)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry)
                .record(nanos(totalMs));
    }

    /** Where a request the model answered spent its time: preprocessing, waiting for a batch, the forward pass. */
    void predicted(String model, Prediction.Timings timings) {
        stage(model, "preprocess", timings.preprocessMs());
        stage(model, "queue_wait", timings.queueWaitMs());
        stage(model, "forward", timings.forwardMs());
        DistributionSummary.builder("vla.inference.batch_size")
                .description("Size of the batch each successful request rode in")
                .tag("model", model)
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128)
                .register(registry)
                .record(timings.batchSize());
    }

    private void stage(String model, String stage, double millis) {
        Timer.builder("vla.inference.stage")
                .description("Time a request the model answered spent in one stage: preprocess (decode, resize, tokenize), "
                        + "queue_wait (for a batch) or forward (the batch's forward pass)")
                .tags("model", model, "stage", stage)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry)
                .record(nanos(millis));
    }

    private static Duration nanos(double millis) {
        return Duration.ofNanos((long) (millis * 1e6));
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
