package com.vlaapi.inference.api;

import com.vlaapi.inference.requestlog.InferenceLogEntry;
import com.vlaapi.inference.requestlog.RequestLogWriter;
import com.vlaapi.inference.safety.SafetyScores;
import com.vlaapi.inference.security.Caller;
import com.vlaapi.modelrunner.ModelRunner;
import com.vlaapi.modelrunner.Prediction;
import com.vlaapi.modelrunner.bundle.ModelManifest;
import com.vlaapi.servicecontract.error.ApiError;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Wraps the inference handler: opens an {@link InferenceExchange} before the body is read, and
 * when the response status is final (after exception handlers ran) records the metrics and the
 * request-log row. Every request that reached the handler is logged, whatever the outcome.
 */
@Component
class InferenceRequestInterceptor implements HandlerInterceptor {

    private final RequestLogWriter requestLog;
    private final InferenceMetrics metrics;
    private final SafetyScores safetyScores;
    private final String defaultModel;
    private final Map<String, String> versionsByModel;

    InferenceRequestInterceptor(RequestLogWriter requestLog, InferenceMetrics metrics, SafetyScores safetyScores,
                                ModelRunner runner) {
        this.requestLog = requestLog;
        this.metrics = metrics;
        this.safetyScores = safetyScores;
        this.defaultModel = runner.defaultModel();
        this.versionsByModel = runner.manifests().values().stream()
                .collect(Collectors.toUnmodifiableMap(ModelManifest::name, ModelManifest::version));
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        request.setAttribute(InferenceExchange.ATTRIBUTE, new InferenceExchange());
        return true;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
                                Exception unhandled) {
        RequestContext context = RequestContext.of(request);
        InferenceExchange exchange = (InferenceExchange) request.getAttribute(InferenceExchange.ATTRIBUTE);
        ApiError error = (ApiError) request.getAttribute(ApiError.ATTRIBUTE);
        // An exception no handler resolved becomes a 500 after this method; log it as one.
        int status = unhandled != null ? 500 : response.getStatus();
        String errorCode = unhandled != null ? ApiError.internal().code() : error == null ? null : error.code();
        double totalMs = context.elapsedMs();

        String model = modelOf(exchange);
        String knownModel = model != null && versionsByModel.containsKey(model) ? model : InferenceMetrics.UNKNOWN_MODEL;
        metrics.requestCompleted(knownModel, status, totalMs);
        Prediction prediction = exchange.prediction();
        if (prediction != null) {
            metrics.batchRidden(knownModel, prediction.timings().batchSize());
        }
        Caller caller = (Caller) request.getAttribute(Caller.ATTRIBUTE);
        if (caller != null) {
            requestLog.record(logEntry(context, caller, exchange, model, status, errorCode, totalMs));
        }
    }

    /** The model the request named (or would get by default); {@code null} when the body was unreadable. */
    private String modelOf(InferenceExchange exchange) {
        if (exchange.prediction() != null) {
            return exchange.prediction().model();
        }
        InferenceRequestBody body = exchange.request();
        if (body == null) {
            return null;
        }
        return body.model() == null ? defaultModel : body.model();
    }

    private InferenceLogEntry logEntry(RequestContext context, Caller caller, InferenceExchange exchange,
                                       String model, int status, String errorCode, double totalMs) {
        InferenceRequestBody body = exchange.request();
        Prediction p = exchange.prediction();
        return new InferenceLogEntry(
                context.requestId(), caller.customerId(), caller.apiKeyId(), context.receivedAt(),
                model, model == null ? null : versionsByModel.get(model),
                p != null ? p.unnormKey() : body == null ? null : body.unnormKey(),
                body == null ? null : body.instruction(),
                p == null ? null : p.action(),
                p == null ? null : p.timings().forwardMs(),
                totalMs, status, errorCode, exchange.imageBytes(),
                p == null ? null : p.imageWidth(),
                p == null ? null : p.imageHeight(),
                p == null ? null : p.timings().batchSize(),
                p == null ? null : p.embedding(),
                p == null ? null : safetyScores.score(p.model(), p.unnormKey(), p.action()));
    }
}
