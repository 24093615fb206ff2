package com.vlaapi.inference.api;

import com.vlaapi.inference.requestlog.InferenceLogEntry;
import com.vlaapi.inference.requestlog.RequestLogWriter;
import com.vlaapi.inference.safety.SafetyReview;
import com.vlaapi.inference.security.Caller;
import com.vlaapi.modelrunner.ModelRunner;
import com.vlaapi.modelrunner.Prediction;
import com.vlaapi.modelrunner.bundle.ModelManifest;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Turns a request, as far as handling got ({@link InferenceExchange}), into its request-log row
 * and records it, once. A success is recorded by the controller before its response is written
 * (a 200 means recorded); every other outcome after the response, by the interceptor.
 */
@Component
class RequestRecorder {

    private final RequestLogWriter requestLog;
    private final String defaultModel;
    private final Map<String, String> versionsByModel;

    RequestRecorder(RequestLogWriter requestLog, ModelRunner runner) {
        this.requestLog = requestLog;
        this.defaultModel = runner.defaultModel();
        this.versionsByModel = runner.manifests().values().stream()
                .collect(Collectors.toUnmodifiableMap(ModelManifest::name, ModelManifest::version));
    }

    /**
     * Records the request's outcome unless it was recorded already; requests the gateway did not
     * vouch for (no caller) are not logged.
     *
     * @throws com.vlaapi.inference.requestlog.RequestLogUnavailableException when the log cannot take it
     */
    void record(RequestContext context, Caller caller, InferenceExchange exchange, int status, String errorCode) {
        if (caller == null || exchange.recorded()) {
            return;
        }
        requestLog.record(row(context, caller, exchange, status, errorCode));
        exchange.markRecorded();
    }

    /** The model the request named (or would get by default); {@code null} when the body was unreadable. */
    String modelOf(InferenceExchange exchange) {
        if (exchange.prediction() != null) {
            return exchange.prediction().model();
        }
        InferenceRequestBody body = exchange.request();
        if (body == null) {
            return null;
        }
        return body.model() == null ? defaultModel : body.model();
    }

    boolean isServed(String model) {
        return model != null && versionsByModel.containsKey(model);
    }

    private InferenceLogEntry row(RequestContext context, Caller caller, InferenceExchange exchange, int status,
                                  String errorCode) {
        String model = modelOf(exchange);
        InferenceRequestBody body = exchange.request();
        Prediction p = exchange.prediction();
        SafetyReview review = exchange.review();
        // A rejected action was never sent: the model's is kept as the raw one.
        boolean rejected = PublicErrorCode.UNSAFE_ACTION.id().equals(errorCode);
        double[] sent = review == null ? null : rejected ? null : review.values();
        double[] raw = review == null ? null : rejected && review.raw() == null ? review.values() : review.raw();
        return new InferenceLogEntry(
                context.requestId(), caller.customerId(), caller.apiKeyId(), context.receivedAt(),
                model, model == null ? null : versionsByModel.get(model),
                p != null ? p.unnormKey() : body == null ? null : body.unnormKey(),
                body == null ? null : body.instruction(),
                sent,
                p == null ? null : p.timings().forwardMs(),
                context.elapsedMs(), status, errorCode, exchange.imageBytes(),
                p == null ? null : p.imageWidth(),
                p == null ? null : p.imageHeight(),
                p == null ? null : p.timings().batchSize(),
                p == null ? null : p.embedding(),
                review == null ? null : review.score(),
                review == null ? null : review.robot(),
                raw,
                review == null ? null : review.flagIds());
    }
}
