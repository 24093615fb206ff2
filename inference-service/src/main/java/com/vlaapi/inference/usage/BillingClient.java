package com.vlaapi.inference.usage;

import com.vlaapi.servicecontract.ServiceHeaders;
import com.vlaapi.servicecontract.settings.InternalTokenProperties;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Pushes usage events to billing-service's internal endpoint, authenticated by the internal token. */
@Component
class BillingClient {

    static final String PATH = "/internal/v1/usage-events";

    /** The request body billing-service expects. */
    record UsageEventBatch(List<UsageEvent> events) {
    }

    /** Billing did not confirm the batch: nothing may be removed from the outbox. */
    static class DeliveryException extends RuntimeException {
        DeliveryException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final HttpClient http;
    private final URI endpoint;
    private final UsageRelayProperties properties;
    private final String internalToken;
    private final JsonMapper json;

    BillingClient(UsageRelayProperties properties, BillingServiceProperties billing, InternalTokenProperties token,
                  JsonMapper json) {
        this.properties = properties;
        this.internalToken = token.internalToken();
        this.json = json;
        String base = billing.url().toString();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + PATH);
        this.http = HttpClient.newBuilder().connectTimeout(properties.requestTimeout()).build();
    }

    /**
     * Returns only when billing answered 2xx, which it does after committing every event; throws
     * otherwise (unreachable, timeout, error status), and the caller keeps the events.
     */
    void deliver(List<UsageEvent> events) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(properties.requestTimeout())
                .header("Content-Type", "application/json")
                .header(ServiceHeaders.INTERNAL_TOKEN, internalToken)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(new UsageEventBatch(events))))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DeliveryException("billing-service unreachable at " + endpoint + ": " + e, e);
        }
        if (response.statusCode() / 100 != 2) {
            String body = response.body();
            throw new DeliveryException("billing-service answered HTTP " + response.statusCode() + ": "
                    + (body.length() > 300 ? body.substring(0, 300) : body), null);
        }
    }
}
