package com.vlaapi.gateway.accesslog;

import com.vlaapi.gateway.apikey.ApiKeyAuthenticationFilter;
import com.vlaapi.gateway.apikey.ResolvedApiKey;
import com.vlaapi.gateway.edge.ClientAddress;
import com.vlaapi.gateway.errors.GatewayErrorHandler;
import com.vlaapi.gateway.requestid.RequestIdFilter;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.metrics.ErrorCodeTag;
import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import reactor.core.publisher.Mono;

/**
 * One line per request, after its answer: method, path, status, milliseconds, and as structured
 * fields the request id (which inference-service's line for the same request carries too), the
 * error code, the customer and the inference instance; a refusal's line names the client's
 * address, and repeated refusals share a line ({@link RepeatedRefusals}). The logger is
 * {@code vla.access}, so operators can silence it ({@code LOGGING_LEVEL_VLA_ACCESS=warn}) without
 * touching the rest. The same measurement times every request for the dashboards ({@link RequestTimers}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class AccessLogFilter implements WebFilter {

    private static final Logger log = LoggerFactory.getLogger("vla.access");

    private final RequestTimers timers;
    private final GatewayErrorHandler errors;
    private final RepeatedRefusals refusals;
    private final ClientAddress clients;

    AccessLogFilter(RequestTimers timers, GatewayErrorHandler errors, RepeatedRefusals refusals, ClientAddress clients) {
        this.timers = timers;
        this.errors = errors;
        this.refusals = refusals;
        this.clients = clients;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long start = System.nanoTime();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // The error's answer is written here, not after this filter, so that its status is the one logged and timed.
        return chain.filter(exchange).onErrorResume(e -> {
            failure.set(e);
            return errors.handle(exchange, e);
        }).doFinally(signal -> {
            long nanos = System.nanoTime() - start;
            HttpStatusCode status = exchange.getResponse().getStatusCode();
            String errorCode = ErrorCodeTag.valueOf(exchange.getAttribute(ApiError.ATTRIBUTE));
            PathPattern route = exchange.getAttribute(RouterFunctions.MATCHING_PATTERN_ATTRIBUTE);
            timers.record(exchange.getRequest().getMethod().name(), route == null ? null : route.getPatternString(),
                    status, failure.get(), errorCode, nanos);
            if (log.isInfoEnabled()) {
                String refusedClient = null;
                if (status != null && RepeatedRefusals.isRefusal(status.value())) {
                    refusedClient = clients.of(exchange);
                    ResolvedApiKey key = exchange.getAttribute(ApiKeyAuthenticationFilter.CUSTOMER_ATTRIBUTE);
                    if (refusals.folded(new RepeatedRefusals.Kind(refusedClient, status.value(), errorCode,
                            key == null ? null : key.customerId()))) {
                        return;
                    }
                }
                write(exchange, status, errorCode, refusedClient, nanos / 1e6);
            }
        });
    }

    private static void write(ServerWebExchange exchange, HttpStatusCode status, String errorCode, String refusedClient,
                              double millis) {
        String path = exchange.getRequest().getPath().value();
        double tenths = Math.round(millis * 10) / 10.0;
        LoggingEventBuilder line = log.atInfo()
                .setMessage(() -> exchange.getRequest().getMethod() + " " + path + " "
                        + (status == null ? "-" : String.valueOf(status.value())) + " " + tenths + " ms")
                .addKeyValue("status", status == null ? 0 : status.value())
                .addKeyValue("duration_ms", tenths)
                .addKeyValue("request_id", RequestIdFilter.of(exchange))
                .addKeyValue(ErrorCodeTag.KEY, errorCode);
        if (exchange.getAttribute(ApiKeyAuthenticationFilter.CUSTOMER_ATTRIBUTE) instanceof ResolvedApiKey key) {
            line = line.addKeyValue("customer_id", key.customerId());
        }
        if (refusedClient != null) {
            line = line.addKeyValue("client_address", refusedClient);
        }
        if (exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR) instanceof URI upstream) {
            line = line.addKeyValue("upstream", upstream.getAuthority());
        }
        line.log();
    }
}
