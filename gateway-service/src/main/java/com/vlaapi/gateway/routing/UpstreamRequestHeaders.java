package com.vlaapi.gateway.routing;

import com.vlaapi.gateway.apikey.ApiKeyAuthenticationFilter;
import com.vlaapi.servicecontract.settings.InternalTokenProperties;
import com.vlaapi.gateway.apikey.ResolvedApiKey;
import com.vlaapi.gateway.requestid.RequestIdFilter;
import com.vlaapi.servicecontract.ServiceHeaders;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * The headers a routed request carries to inference-service, built in one pass: the client's
 * end-to-end headers, less its credentials, its hop-by-hop and proxy headers and anything it could
 * use to pose as the gateway, plus the gateway's own (request id, customer, key, internal token).
 * It replaces Spring Cloud Gateway's header filters (HeaderFilterReplacement), each of which copied
 * every header of every request.
 */
@Component
public class UpstreamRequestHeaders implements HttpHeadersFilter {

    /** Lower case. Besides the hop-by-hop headers: the client's own credentials and what only the gateway may say. */
    private static final Set<String> NOT_FORWARDED = Set.of(
            "authorization", "forwarded",
            lower(ServiceHeaders.REQUEST_ID), lower(ServiceHeaders.INTERNAL_TOKEN),
            lower(ServiceHeaders.CUSTOMER_ID), lower(ServiceHeaders.API_KEY_ID));
    /** X-Forwarded-For and the rest: only the gateway's callers' proxies may say where a request came from. */
    private static final String FORWARDED_PREFIX = "x-forwarded-";

    private final String internalToken;

    public UpstreamRequestHeaders(InternalTokenProperties token) {
        this.internalToken = token.internalToken();
    }

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        HttpHeaders upstream = new HttpHeaders();
        for (Map.Entry<String, List<String>> header : input.headerSet()) {
            String name = lower(header.getKey());
            // The client's Connection options are for its own connection: the headers it names still travel.
            if (!HopByHopHeaders.is(name) && !NOT_FORWARDED.contains(name) && !name.startsWith(FORWARDED_PREFIX)) {
                upstream.addAll(header.getKey(), header.getValue());
            }
        }
        if (exchange.getAttribute(ApiKeyAuthenticationFilter.CUSTOMER_ATTRIBUTE) instanceof ResolvedApiKey key) {
            identify(upstream, RequestIdFilter.of(exchange).toString(), key);
        }
        upstream.set(ServiceHeaders.INTERNAL_TOKEN, internalToken);
        return upstream;
    }

    /** The request and who made it, as every call of the gateway's to inference-service says them. */
    public static void identify(HttpHeaders headers, String requestId, ResolvedApiKey key) {
        headers.set(ServiceHeaders.REQUEST_ID, requestId);
        headers.set(ServiceHeaders.CUSTOMER_ID, key.customerId().toString());
        headers.set(ServiceHeaders.API_KEY_ID, key.keyId().toString());
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
