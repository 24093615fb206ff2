package com.vlaapi.inference.api;

import com.vlaapi.inference.chunk.ChunkTiming;
import com.vlaapi.inference.requestlog.RequestLogUnavailableException;
import com.vlaapi.inference.robotprofile.RobotProfile;
import com.vlaapi.inference.robotprofile.RobotProfiles;
import com.vlaapi.inference.safety.ActionSafety;
import com.vlaapi.inference.safety.SafetyReview;
import com.vlaapi.inference.security.Caller;
import com.vlaapi.inference.trainingimages.TrainingImages;
import com.vlaapi.modelrunner.InferenceRequest;
import com.vlaapi.modelrunner.ModelRunner;
import com.vlaapi.modelrunner.Prediction;
import com.vlaapi.modelrunner.bundle.ModelManifest;
import com.vlaapi.servicecontract.error.ApiException;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * One inference request once its body is read, whichever transport carried it ({@code POST
 * /v1/inference}, OpenVLA's {@code /act}, the gateway's {@link InferenceChannel}): the cheap
 * checks, the model, the safety review, the record, the answer. The answer is recorded before it
 * is returned: a 200 means recorded. The action returned is the safety review's: held to the
 * request's robot profile, or refused with 422 when the request asked on_unsafe = reject.
 */
@Component
class Inferences {

    private final ModelRunner runner;
    private final RobotProfiles robotProfiles;
    private final ActionSafety safety;
    private final RequestRecorder recorder;
    private final TrainingImages trainingImages;
    private final Clock clock;

    Inferences(ModelRunner runner, RobotProfiles robotProfiles, ActionSafety safety, RequestRecorder recorder,
               TrainingImages trainingImages, Clock clock) {
        this.runner = runner;
        this.robotProfiles = robotProfiles;
        this.safety = safety;
        this.recorder = recorder;
        this.trainingImages = trainingImages;
        this.clock = clock;
    }

    /**
     * @param decodeImage the primary camera's image; called once the cheap checks passed
     * @throws RequestLogUnavailableException when the answer cannot be recorded (nothing is answered then)
     */
    InferenceResponse serve(InferenceRequestBody body, Supplier<byte[]> decodeImage, RequestContext context,
                            InferenceExchange exchange, Caller caller) {
        SafetyOptions options = SafetyOptions.of(body);
        ModelManifest manifest = runner.manifests().get(body.model() == null ? runner.defaultModel() : body.model());
        ChunkOptions chunking = ChunkOptions.of(body, context.receivedAt(),
                manifest == null ? 0 : manifest.action().names().size());
        byte[] image = decodeImage.get();
        exchange.decodedImage(image.length);
        RobotProfile profile = caller == null ? null : robotProfiles.forRequest(caller.customerId(), body.robot()).orElse(null);
        String unnormKey = body.unnormKey() == null && profile != null ? profile.defaultUnnormKey() : body.unnormKey();
        Prediction prediction = runner.predict(new InferenceRequest(body.model(), image, body.instruction(), unnormKey,
                body.state()));
        exchange.predicted(prediction);
        double modelHz = runner.manifests().get(prediction.model()).controlRateHz();
        SafetyReview review = chunking.chunk()
                ? safety.reviewChunk(prediction, chunking.steps(prediction, modelHz, profile), profile, options.position())
                : safety.review(prediction, profile, options.position());
        exchange.reviewed(review);
        if (review.unsafe() && options.reject()) {
            throw new ApiException(PublicErrorCode.UNSAFE_ACTION.error("The action is unsafe ("
                    + String.join(", ", review.flagIds()) + ") and on_unsafe is \"reject\": nothing to send. "
                    + "Send on_unsafe \"clip\" to get the action held to the robot's limits.")
                    .withDetails(Map.of("flags", review.flagIds(), "raw", review.raw() != null ? review.raw() : review.values())));
        }
        // Read last before the record (a journal append of microseconds): valid_from and deadline_missed count
        // the time until the answer leaves, and the log's total latency covers the answer's latency_ms.
        Instant answeredAt = clock.instant();
        ChunkTiming timing = chunking.chunk()
                ? ChunkTiming.of(chunking.t0(context.receivedAt()), chunking.controlHz(modelHz), answeredAt, review.chunk().length)
                : null;
        InferenceResponse answer = InferenceResponse.of(context, prediction, review, timing, answeredAt);
        recorder.record(context, caller, exchange, 200, null);
        if (caller != null) {
            trainingImages.offer(caller, context, image);
        }
        return answer;
    }

    /** The error a request gets when its answer could not be recorded. */
    static ApiException unrecorded(RequestLogUnavailableException e) {
        return new ApiException(PublicErrorCode.REQUEST_LOG_UNAVAILABLE.error(e.getMessage()));
    }
}
