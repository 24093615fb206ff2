package com.vlaapi.inference.contract;

import com.vlaapi.inference.api.Base64Image;
import com.vlaapi.modelrunner.InferenceRequest;
import com.vlaapi.modelrunner.ModelRunner;
import com.vlaapi.modelrunner.ModelRunnerException;
import com.vlaapi.modelrunner.Prediction;
import com.vlaapi.modelrunner.batching.OverloadedException;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.ApiException;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Runs a client's recorded frames through the same model runner as {@code POST /v1/inference} and
 * compares what it computes with what the client's copy produced. Nothing is logged or billed: it
 * is a check of the client's pipeline, not inference. Every frame is validated before any runs.
 *
 * <p>A difference is judged relative to the dimension's training range for the frame's unnorm key
 * (q99 - q01 of a de-normalised dimension), or absolutely where that range is 0 or the dimension
 * passes through (the gripper's probability), so one tolerance fits metres, centimetres and radians.
 */
@Component
class ParityCheck {

    private final ModelRunner runner;
    private final ModelContracts contracts;
    private final ParityProperties settings;
    private final Semaphore running;

    ParityCheck(ModelRunner runner, ModelContracts contracts, ParityProperties settings) {
        this.runner = runner;
        this.contracts = contracts;
        this.settings = settings;
        this.running = new Semaphore(settings.maxConcurrent());
    }

    ParityReport check(String model, ParityRequest body) {
        ModelContract contract = contracts.contract(model);
        List<CheckedFrame> frames = validate(contract, body);
        if (!running.tryAcquire()) {
            throw new Busy();
        }
        try {
            return compare(contract, frames, predict(contract, frames));
        } finally {
            running.release();
        }
    }

    /** More parity calls than {@code max-concurrent} at once: answered 503 {@code overloaded}, to retry. */
    static final class Busy extends RuntimeException {
        Busy() {
            super("Parity checks are busy on this instance; retry in a second.", null, false, false);
        }
    }

    /** A frame as the client sent it, decoded and checked against the contract. */
    private record CheckedFrame(byte[] image, String instruction, double[] state, String unnormKey, double[][] submitted) {
    }

    private List<CheckedFrame> validate(ModelContract contract, ParityRequest body) {
        if (body == null) {
            throw invalid(PublicErrorCode.INVALID_REQUEST_BODY, "The request body must be one JSON object with 'frames'.");
        }
        if (body.frames() == null || body.frames().isEmpty() || body.frames().size() > settings.maxFrames()) {
            throw invalid(PublicErrorCode.INVALID_FIELD_VALUE, "Field 'frames' must hold 1 to " + settings.maxFrames()
                    + " frames" + (body.frames() == null ? "" : "; it holds " + body.frames().size()) + ".");
        }
        List<CheckedFrame> frames = new ArrayList<>();
        for (int i = 0; i < body.frames().size(); i++) {
            frames.add(validate(contract, body.frames().get(i), "frames[" + i + "]"));
        }
        return frames;
    }

    private CheckedFrame validate(ModelContract contract, ParityRequest.Frame frame, String field) {
        if (frame == null) {
            throw invalid(PublicErrorCode.INVALID_FIELD_VALUE, "Field '" + field + "' must be an object.");
        }
        if (frame.image() == null) {
            throw invalid(PublicErrorCode.MISSING_IMAGE, "Field '" + field + ".image' is required: the frame as base64 "
                    + "PNG or JPEG, exactly as your copy of the model read it.");
        }
        byte[] image = Base64Image.decode(frame.image(), field + ".image");
        int dims = contract.action().names().size();
        if ((frame.action() == null) == (frame.chunk() == null)) {
            throw invalid(PublicErrorCode.INVALID_FIELD_VALUE, "Frame '" + field + "' needs exactly one of 'action' ("
                    + dims + " numbers) and 'chunk' (1 to " + contract.action().chunkLength() + " actions of " + dims
                    + " numbers): what your copy of the model produced for it.");
        }
        double[][] submitted;
        if (frame.action() != null) {
            submitted = new double[][] {numbers(frame.action(), dims, field + ".action")};
        } else {
            int steps = frame.chunk().size();
            if (steps < 1 || steps > contract.action().chunkLength()) {
                throw invalid(PublicErrorCode.INVALID_FIELD_VALUE, "Field '" + field + ".chunk' must hold 1 to "
                        + contract.action().chunkLength() + " actions (the model's chunk length); it holds " + steps + ".");
            }
            submitted = new double[steps][];
            for (int step = 0; step < steps; step++) {
                submitted[step] = numbers(frame.chunk().get(step), dims, field + ".chunk[" + step + "]");
            }
        }
        return new CheckedFrame(image, frame.instruction(), state(contract, frame.state(), field + ".state"),
                frame.unnormKey(), submitted);
    }

    private static double[] state(ModelContract contract, List<Double> state, String field) {
        ModelContract.State spec = contract.state();
        if (spec == null) {
            if (state != null) {
                throw invalid(PublicErrorCode.INVALID_FIELD_VALUE, "Field '" + field + "': model " + contract.id()
                        + " takes no state; leave it out.");
            }
            return null;
        }
        if (state == null) {
            if (spec.required()) {
                throw invalid(PublicErrorCode.INVALID_FIELD_VALUE, "Field '" + field + "' is required by model "
                        + contract.id() + ": " + spec.names() + ".");
            }
            return null;
        }
        return numbers(state, spec.names().size(), field);
    }

    private static double[] numbers(List<Double> values, int length, String field) {
        if (values == null || values.size() != length) {
            throw invalid(PublicErrorCode.INVALID_FIELD_VALUE, "Field '" + field + "' must be " + length + " numbers"
                    + (values == null ? "." : "; it has " + values.size() + "."));
        }
        double[] result = new double[length];
        for (int i = 0; i < length; i++) {
            Double value = values.get(i);
            if (value == null || !Double.isFinite(value)) {
                throw invalid(PublicErrorCode.INVALID_FIELD_VALUE, "Field '" + field + "[" + i + "]' must be a finite number.");
            }
            result[i] = value;
        }
        return result;
    }

    /** All frames queued at once, so they share the model's batches; the model's refusals name their frame. */
    private List<Prediction> predict(ModelContract contract, List<CheckedFrame> frames) {
        List<CompletableFuture<Prediction>> pending = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            CheckedFrame frame = frames.get(i);
            try {
                pending.add(runner.submit(new InferenceRequest(contract.id(), frame.image(), frame.instruction(),
                        frame.unnormKey(), frame.state())));
            } catch (OverloadedException e) {
                throw e;
            } catch (ModelRunnerException e) {
                throw new ApiException(new ApiError(HttpStatus.BAD_REQUEST, e.code(),
                        "Frame 'frames[" + i + "]': " + e.getMessage()));
            }
        }
        List<Prediction> predictions = new ArrayList<>();
        for (CompletableFuture<Prediction> prediction : pending) {
            try {
                predictions.add(prediction.join());
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        return predictions;
    }

    private ParityReport compare(ModelContract contract, List<CheckedFrame> frames, List<Prediction> predictions) {
        List<String> names = contract.action().names();
        List<ParityReport.FrameResult> results = new ArrayList<>();
        ParityReport.Worst worst = null;
        double worstRelative = -1;
        double maxAbs = 0;
        for (int i = 0; i < frames.size(); i++) {
            double[][] submitted = frames.get(i).submitted();
            Prediction prediction = predictions.get(i);
            double[][] computed = prediction.chunk();
            double[] ranges = ranges(contract.unnormKeys().get(prediction.unnormKey()));
            double[][] expected = new double[submitted.length][];
            double frameAbs = 0;
            double frameRelative = -1;
            int frameStep = 0;
            int frameDimension = 0;
            for (int step = 0; step < submitted.length; step++) {
                expected[step] = computed[step];
                for (int d = 0; d < names.size(); d++) {
                    double abs = Math.abs(computed[step][d] - submitted[step][d]);
                    double relative = abs / ranges[d];
                    frameAbs = Math.max(frameAbs, abs);
                    if (relative > frameRelative) {
                        frameRelative = relative;
                        frameStep = step;
                        frameDimension = d;
                    }
                }
            }
            results.add(new ParityReport.FrameResult(i, prediction.unnormKey(), verdict(frameRelative), frameAbs,
                    frameRelative, frameStep, names.get(frameDimension), expected));
            maxAbs = Math.max(maxAbs, frameAbs);
            if (frameRelative > worstRelative) {
                worstRelative = frameRelative;
                worst = new ParityReport.Worst(i, frameStep, names.get(frameDimension),
                        computed[frameStep][frameDimension], submitted[frameStep][frameDimension]);
            }
        }
        Prediction first = predictions.get(0);
        return new ParityReport(first.model(), first.modelVersion(), settings.tolerance(), verdict(worstRelative), maxAbs,
                worstRelative, worst, results);
    }

    private String verdict(double relative) {
        return relative <= settings.tolerance() ? ParityReport.MATCH : ParityReport.MISMATCH;
    }

    /** Per dimension, what a difference is divided by (see the class comment). */
    private static double[] ranges(ModelContract.UnnormKey key) {
        double[] ranges = new double[key.q01().length];
        for (int d = 0; d < ranges.length; d++) {
            double range = key.q99()[d] - key.q01()[d];
            ranges[d] = key.normalized()[d] && range > 0 ? range : 1;
        }
        return ranges;
    }

    private static ApiException invalid(PublicErrorCode code, String message) {
        return new ApiException(code.error(message));
    }
}
