package com.vlaapi.inference.api;

import com.vlaapi.inference.requestlog.RequestLogUnavailableException;
import com.vlaapi.modelrunner.Prediction;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.metrics.ErrorCodeTag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Wraps the inference handler: opens an {@link InferenceExchange} before the body is read, and
 * when the response status is final (after exception handlers ran) records the metrics and, for
 * a request that did not succeed, its request-log row. Every request that reached the handler is
 * logged, whatever the outcome.
 */
@Component
class InferenceRequestInterceptor implements HandlerInterceptor {

    private static final Logger log = LoggerFactory.getLogger(InferenceRequestInterceptor.class);
    /** One line per request; its own logger so operators can silence it (LOGGING_LEVEL_VLA_ACCESS=warn). */
    private static final Logger accessLog = LoggerFactory.getLogger("vla.access");

    private final RequestRecorder recorder;
    private final InferenceMetrics metrics;

    InferenceRequestInterceptor(RequestRecorder recorder, InferenceMetrics metrics) {
        this.recorder = recorder;
        this.metrics = metrics;
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

        String model = recorder.modelOf(exchange);
        String knownModel = recorder.isServed(model) ? model : InferenceMetrics.UNKNOWN_MODEL;
        metrics.requestCompleted(knownModel, status, errorCode, context.elapsedMs());
        Prediction prediction = exchange.prediction();
        if (prediction != null) {
            metrics.predicted(knownModel, prediction.timings());
        }
        logAccess(request, status, errorCode, model, prediction, context.elapsedMs());
        try {
            recorder.record(request, status, errorCode);
        } catch (RequestLogUnavailableException e) {
            // The client has its answer already, an error that is not billed; the writer logged why.
            log.debug("request {} ({}) not logged: {}", context.requestId(), status, e.getMessage());
        }
    }

    /** The request id comes from the MDC, as on every line this service logs for the request. */
    private static void logAccess(HttpServletRequest request, int status, String errorCode, String model,
                                  Prediction prediction, double millis) {
        if (!accessLog.isInfoEnabled()) {
            return;
        }
        LoggingEventBuilder line = accessLog.atInfo()
                .setMessage(() -> request.getMethod() + " " + request.getRequestURI() + " " + status + " " + tenths(millis) + " ms")
                .addKeyValue("status", status)
                .addKeyValue("duration_ms", tenths(millis))
                .addKeyValue(ErrorCodeTag.KEY, errorCode == null ? ErrorCodeTag.NONE : errorCode);
        if (model != null) {
            line = line.addKeyValue("model", model);
        }
        if (prediction != null) {
            Prediction.Timings t = prediction.timings();
            line = line.addKeyValue("preprocess_ms", t.preprocessMs())
                    .addKeyValue("queue_wait_ms", t.queueWaitMs())
                    .addKeyValue("forward_ms", t.forwardMs())
                    .addKeyValue("batch_size", t.batchSize());
        }
        line.log();
    }

    private static double tenths(double millis) {
        return Math.round(millis * 10) / 10.0;
    }
}
