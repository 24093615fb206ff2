package com.vlaapi.inference.api;

import com.vlaapi.inference.requestlog.RequestLogUnavailableException;
import com.vlaapi.inference.chunk.ChunkTiming;
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
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class InferenceController {

    /** Seconds a client waits before retrying a request the log could not record. */
    private static final String RETRY_UNRECORDED_AFTER = "5";

    private final ModelRunner runner;
    private final RobotProfiles robotProfiles;
    private final ActionSafety safety;
    private final RequestRecorder recorder;
    private final TrainingImages trainingImages;
    private final Clock clock;

    InferenceController(ModelRunner runner, RobotProfiles robotProfiles, ActionSafety safety, RequestRecorder recorder,
                        TrainingImages trainingImages, Clock clock) {
        this.runner = runner;
        this.robotProfiles = robotProfiles;
        this.safety = safety;
        this.recorder = recorder;
        this.trainingImages = trainingImages;
        this.clock = clock;
    }

    /**
     * No {@code consumes}: a wrong Content-Type is then detected while the body is read, inside
     * the handler, so the 415 is logged for the customer like every other rejected request.
     * The body is optional only so that an empty one gets our error instead of Spring's.
     * The answer is recorded before it is returned: a 200 means recorded. The action returned is
     * the safety review's: held to the request's robot profile, or refused with 422 when the
     * request asked on_unsafe = reject.
     */
    @PostMapping("/v1/inference")
    InferenceResponse infer(@RequestBody(required = false) InferenceRequestBody body,
                            @RequestAttribute(RequestContext.ATTRIBUTE) RequestContext context,
                            @RequestAttribute(InferenceExchange.ATTRIBUTE) InferenceExchange exchange,
                            @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller,
                            HttpServletRequest request, HttpServletResponse response) {
        requireJsonAccepted(request);
        if (body == null) {
            throw new ApiException(PublicErrorCode.INVALID_REQUEST_BODY.error(
                    "The request body must be one JSON object."));
        }
        exchange.received(body);
        String primary = CameraImages.primary(body);
        return serve(body, () -> Base64Image.decode(primary), context, exchange, caller, request, response);
    }

    /**
     * Everything after the body is read, for both this endpoint and OpenVLA's ({@link OpenVlaController}):
     * the cheap checks, the model, the safety review, the record, the answer.
     *
     * @param decodeImage the primary camera's image; called once the cheap checks passed
     */
    InferenceResponse serve(InferenceRequestBody body, Supplier<byte[]> decodeImage, RequestContext context,
                            InferenceExchange exchange,
                            Caller caller, HttpServletRequest request, HttpServletResponse response) {
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
        try {
            recorder.record(request, HttpStatus.OK.value(), null);
        } catch (RequestLogUnavailableException e) {
            response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_UNRECORDED_AFTER);
            throw new ApiException(PublicErrorCode.REQUEST_LOG_UNAVAILABLE.error(e.getMessage()));
        }
        trainingImages.offer(request, image);
        return answer;
    }

    /**
     * Checked before the model runs: left to Spring, a client that takes no JSON got its 406 only
     * once the answer was recorded as a 200, so it was billed for an action it never saw.
     */
    private static void requireJsonAccepted(HttpServletRequest request) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (accept == null || accept.isBlank()) {
            return;
        }
        List<MediaType> accepted;
        try {
            accepted = MediaType.parseMediaTypes(accept);
        } catch (InvalidMediaTypeException unreadable) {
            accepted = List.of();
        }
        if (accepted.stream().noneMatch(type -> type.getQualityValue() > 0 && type.isCompatibleWith(MediaType.APPLICATION_JSON))) {
            throw new ApiException(PublicErrorCode.NOT_ACCEPTABLE.error(
                    "The answer is JSON: accept application/json (or send no Accept header)."));
        }
    }
}
