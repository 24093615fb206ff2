package com.vlaapi.inference.api;

import com.vlaapi.modelrunner.Prediction;
import com.vlaapi.servicecontract.metrics.ErrorCodeTag;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Inference metrics. Labels stay low-cardinality: model names are only loaded models (anything
 * else is "unknown"), statuses are HTTP codes, error codes come from the API's fixed list, and
 * customers are never labels (the request log answers per-customer questions). Each request's
 * meters are looked up once per label set and kept: building and registering them on every request
 * cost a measurable share of throughput (docs/benchmarks.md).
 */
@Component
class InferenceMetrics {

    static final String UNKNOWN_MODEL = "unknown";

    private static final Duration[] LATENCY_BUCKETS = {ms(1), ms(2), ms(5), ms(10), ms(20), ms(50), ms(100),
            ms(200), ms(500), ms(1000), ms(2000), ms(5000)};

    private record Outcome(String model, int status, String errorCode) {
    }

    private record OutcomeMeters(Counter requests, Timer latency) {
    }

    private record ChannelOutcome(int status, String errorCode) {
    }

    private record ModelMeters(Timer preprocess, Timer queueWait, Timer forward, DistributionSummary batchSize) {
    }

    private final MeterRegistry registry;
    private final Map<Outcome, OutcomeMeters> byOutcome = new ConcurrentHashMap<>();
    private final Map<ChannelOutcome, Timer> channelRequests = new ConcurrentHashMap<>();
    private final Map<String, ModelMeters> byModel = new ConcurrentHashMap<>();

    InferenceMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void requestCompleted(String model, int status, String errorCode, double totalMs) {
        OutcomeMeters meters = byOutcome.computeIfAbsent(
                new Outcome(model, status, errorCode == null ? ErrorCodeTag.NONE : errorCode), this::outcomeMeters);
        meters.requests().increment();
        meters.latency().record(nanos(totalMs));
    }

    /**
     * A request the gateway's channel carried, in {@code http.server.requests} under the labels
     * Spring's observation gives the same request over HTTP: the dashboards count a service's
     * requests and errors there, whichever way they came.
     */
    void servedOverChannel(int status, String errorCode, double totalMs) {
        channelRequests.computeIfAbsent(new ChannelOutcome(status, errorCode == null ? ErrorCodeTag.NONE : errorCode),
                this::httpServerRequests).record(nanos(totalMs));
    }

    private Timer httpServerRequests(ChannelOutcome outcome) {
        return Timer.builder("http.server.requests")
                .description("Duration of HTTP server request handling")
                .tags("method", "POST", "uri", "/v1/inference", "status", String.valueOf(outcome.status()),
                        "outcome", io.micrometer.core.instrument.binder.http.Outcome.forStatus(outcome.status()).name(),
                        "exception", "none", "error", "none", ErrorCodeTag.KEY, outcome.errorCode())
                .register(registry);
    }

    /** Where a request the model answered spent its time: preprocessing, waiting for a batch, the forward pass. */
    void predicted(String model, Prediction.Timings timings) {
        ModelMeters meters = byModel.computeIfAbsent(model, this::modelMeters);
        meters.preprocess().record(nanos(timings.preprocessMs()));
        meters.queueWait().record(nanos(timings.queueWaitMs()));
        meters.forward().record(nanos(timings.forwardMs()));
        meters.batchSize().record(timings.batchSize());
    }

    private OutcomeMeters outcomeMeters(Outcome outcome) {
        String status = String.valueOf(outcome.status());
        return new OutcomeMeters(
                Counter.builder("vla.inference.requests")
                        .description("Inference requests by model, HTTP status and error code")
                        .tags("model", outcome.model(), "status", status, ErrorCodeTag.KEY, outcome.errorCode())
                        .register(registry),
                Timer.builder("vla.inference.latency")
                        .description("Server-side time from arrival to response")
                        .tags("model", outcome.model(), "status", status)
                        .serviceLevelObjectives(LATENCY_BUCKETS)
                        .register(registry));
    }

    private ModelMeters modelMeters(String model) {
        return new ModelMeters(stage(model, "preprocess"), stage(model, "queue_wait"), stage(model, "forward"),
                DistributionSummary.builder("vla.inference.batch_size")
                        .description("Size of the batch each successful request rode in")
                        .tag("model", model)
                        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128)
                        .register(registry));
    }

    private Timer stage(String model, String stage) {
        return Timer.builder("vla.inference.stage")
                .description("Time a request the model answered spent in one stage: preprocess (decode, resize, tokenize), "
                        + "queue_wait (for a batch) or forward (the batch's forward pass)")
                .tags("model", model, "stage", stage)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
    }

    private static Duration nanos(double millis) {
        return Duration.ofNanos((long) (millis * 1e6));
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
