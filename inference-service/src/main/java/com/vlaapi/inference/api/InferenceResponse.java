package com.vlaapi.inference.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.vlaapi.inference.chunk.ChunkTiming;
import com.vlaapi.inference.safety.SafetyReview;
import com.vlaapi.modelrunner.Prediction;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * The answer to {@code POST /v1/inference}. {@code action.values} is the list a client sends to
 * its robot, held to its robot profile's limits; {@code action.raw} is the model's own action, there
 * only when the limits changed it. {@code latency_ms} is the server-side total from arrival to this
 * response. With {@code "return": "chunk"}, {@code actions} holds the actions ahead (the first is
 * {@code action.values}), each for {@code t0 + k * dt} (ChunkTiming); otherwise those fields are absent.
 */
public record InferenceResponse(
        UUID requestId,
        String model,
        String modelVersion,
        Action action,
        @JsonInclude(JsonInclude.Include.NON_NULL) double[][] actions,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double t0,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double dt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer validFrom,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean deadlineMissed,
        Safety safety,
        double latencyMs,
        Timings timingsMs,
        Instant createdAt) {

    /** The next action in the robot's units for {@code unnormKey}, one value per name. */
    public record Action(double[] values, List<String> names, String unnormKey,
                         @JsonInclude(JsonInclude.Include.NON_NULL) double[] raw) {
    }

    /** The safety review: score in [0, 1] (null when the model has no statistics for the key), flags, the profile applied. */
    public record Safety(Double score, List<String> flags, String robot) {
    }

    /** Where the time went: decoding and resizing, waiting for a batch, the forward pass. */
    public record Timings(double preprocess, double queue, double inference) {
    }

    /** @param timing when the chunk's actions are for; null when one action was asked for */
    static InferenceResponse of(RequestContext context, Prediction prediction, SafetyReview review, ChunkTiming timing,
                                Instant createdAt) {
        Prediction.Timings t = prediction.timings();
        return new InferenceResponse(context.requestId(), prediction.model(), prediction.modelVersion(),
                new Action(review.values(), prediction.actionNames(), prediction.unnormKey(), review.raw()),
                review.chunk(),
                timing == null ? null : timing.t0(),
                timing == null ? null : timing.dt(),
                timing == null ? null : timing.validFrom(),
                timing == null ? null : timing.deadlineMissed(),
                new Safety(review.score(), review.flagIds(), review.robot()),
                round(context.elapsedMs()),
                new Timings(round(t.preprocessMs()), round(t.queueWaitMs()), round(t.forwardMs())),
                createdAt.truncatedTo(ChronoUnit.MILLIS));
    }

    /** Microsecond resolution is plenty, and keeps the JSON short. */
    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }
}
