package com.vlaapi.gateway.accesslog;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.http.Outcome;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;

/**
 * {@code http.server.requests}, with the labels Spring's observation gives it (method, uri, status,
 * outcome, exception, error) plus {@code error_code}, which the dashboards and alerts read. Spring's
 * observation is off for the gateway (application.yml): per request it built its labels, sorted
 * them and looked the timer up by them, about 7% of the gateway's CPU (docs/benchmarks.md). Here a
 * request's labels find their timer in one map lookup.
 */
@Component
class RequestTimers {

    /** What tells one timer from another. */
    private record Labels(String method, String uri, int status, String exception, String errorCode) {
    }

    private final MeterRegistry meters;
    private final Map<Labels, Timer> timers = new ConcurrentHashMap<>();

    RequestTimers(MeterRegistry meters) {
        this.meters = meters;
    }

    /**
     * {@code status} null when the request ended before one was set (the client went away);
     * {@code uri} a route's pattern, or null for the proxied routes and unknown paths.
     */
    void record(String method, String uri, HttpStatusCode status, Throwable failure, String errorCode, long nanos) {
        int code = status == null ? 0 : status.value();
        String exception = failure == null ? "none" : failure.getClass().getSimpleName();
        Labels labels = new Labels(method, uri != null ? uri : code == 404 ? "NOT_FOUND" : "UNKNOWN", code, exception, errorCode);
        timers.computeIfAbsent(labels, this::register).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer register(Labels labels) {
        return Timer.builder("http.server.requests")
                .description("Duration of HTTP server request handling")
                .tag("method", labels.method())
                .tag("uri", labels.uri())
                .tag("status", labels.status() == 0 ? "UNKNOWN" : Integer.toString(labels.status()))
                .tag("outcome", Outcome.forStatus(labels.status()).name())
                .tag("exception", labels.exception())
                .tag("error", labels.exception())
                .tag("error_code", labels.errorCode())
                .register(meters);
    }
}
