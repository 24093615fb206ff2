package com.vlaapi.inference.api;

import com.vlaapi.inference.requestlog.RequestLogUnavailableException;
import com.vlaapi.inference.security.Caller;
import com.vlaapi.modelrunner.Prediction;
import com.vlaapi.servicecontract.metrics.ErrorCodeTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.stereotype.Component;

/**
 * What happens once an inference request's answer is final, whichever transport carried it: its
 * metrics, its access-log line and, for one that did not succeed, its request-log row (a success's
 * was written before its answer). Every request that reached the handler is logged, whatever the outcome.
 */
@Component
class RequestCompletion {

    private static final Logger log = LoggerFactory.getLogger(RequestCompletion.class);
    /** One line per request; its own logger so operators can silence it (LOGGING_LEVEL_VLA_ACCESS=warn). */
    private static final Logger accessLog = LoggerFactory.getLogger("vla.access");

    private final RequestRecorder recorder;
    private final InferenceMetrics metrics;

    RequestCompletion(RequestRecorder recorder, InferenceMetrics metrics) {
        this.recorder = recorder;
        this.metrics = metrics;
    }

    /**
     * @param request the access log's name for it: method and path
     * @param errorCode the answer's error code; {@code null} for a success
     */
    void completed(String request, RequestContext context, Caller caller, InferenceExchange exchange, int status,
                   String errorCode) {
        String model = recorder.modelOf(exchange);
        String knownModel = recorder.isServed(model) ? model : InferenceMetrics.UNKNOWN_MODEL;
        double elapsedMs = context.elapsedMs();
        metrics.requestCompleted(knownModel, status, errorCode, elapsedMs);
        Prediction prediction = exchange.prediction();
        if (prediction != null) {
            metrics.predicted(knownModel, prediction.timings());
        }
        logAccess(request, status, errorCode, model, prediction, elapsedMs);
        try {
            recorder.record(context, caller, exchange, status, errorCode);
        } catch (RequestLogUnavailableException e) {
            // The client has its answer already, an error that is not billed; the writer logged why.
            log.debug("request {} ({}) not logged: {}", context.requestId(), status, e.getMessage());
        }
    }

    /**
     * {@link #completed} for a request the gateway's inference channel carried, which also gets the
     * {@code http.server.requests} timing Spring's observation gives the same request over HTTP.
     */
    void completedOverChannel(String request, RequestContext context, Caller caller, InferenceExchange exchange,
                              int status, String errorCode) {
        completed(request, context, caller, exchange, status, errorCode);
        metrics.servedOverChannel(status, errorCode, context.elapsedMs());
    }

    /** The request id comes from the MDC, as on every line this service logs for the request. */
    private static void logAccess(String request, int status, String errorCode, String model,
                                  Prediction prediction, double millis) {
        if (!accessLog.isInfoEnabled()) {
            return;
        }
        LoggingEventBuilder line = accessLog.atInfo()
                .setMessage(() -> request + " " + status + " " + tenths(millis) + " ms")
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
