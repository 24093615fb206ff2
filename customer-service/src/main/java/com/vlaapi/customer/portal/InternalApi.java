package com.vlaapi.customer.portal;

import com.vlaapi.servicecontract.ServiceHeaders;
import com.vlaapi.servicecontract.error.ApiException;
import com.vlaapi.servicecontract.servlet.AccessTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * GETs from billing- and inference-service's internal APIs with this service's credential. Their
 * 404 is the portal's 404 (another customer's id looks like a missing one); anything else they answer,
 * or their silence, is a 503 that names the service, never the page's 500.
 */
@Component
public class InternalApi {

    /** A body and its content type, as the other service answered it. */
    public record Answer(byte[] body, String contentType) {
    }

    private final HttpClient http;
    private final PortalProperties properties;
    private final String credential;
    private final JsonMapper json;
    private final AtomicInteger nextInference = new AtomicInteger();

    InternalApi(PortalProperties properties, AccessTokens tokens, JsonMapper json) {
        this.properties = properties;
        this.credential = tokens.internalToken();
        // Their answers may gain fields; the portal reads the ones it knows.
        this.json = json.rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        this.http = HttpClient.newBuilder().connectTimeout(properties.callTimeout()).build();
    }

    public <T> T billing(String path, Class<T> type) {
        return json.readValue(get("billing-service", properties.billingUrl(), path).body(), type);
    }

    public Answer billingFile(String path) {
        return get("billing-service", properties.billingUrl(), path);
    }

    public <T> T inference(String path, Class<T> type) {
        return json.readValue(inferenceFile(path).body(), type);
    }

    /** Tries each instance once, starting from the next in turn: one instance down does not break a page. */
    public Answer inferenceFile(String path) {
        List<URI> instances = properties.inferenceUrls();
        int first = Math.floorMod(nextInference.getAndIncrement(), instances.size());
        ApiException last = null;
        for (int i = 0; i < instances.size(); i++) {
            try {
                return get("inference-service", instances.get((first + i) % instances.size()), path);
            } catch (ApiException e) {
                if (e.error().status().value() != HttpStatus.SERVICE_UNAVAILABLE.value()) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    private Answer get(String service, URI base, String path) {
        String root = base.toString().endsWith("/") ? base.toString().substring(0, base.toString().length() - 1)
                : base.toString();
        HttpRequest request = HttpRequest.newBuilder(URI.create(root + path))
                .timeout(properties.callTimeout())
                .header(ServiceHeaders.INTERNAL_TOKEN, credential)
                .GET().build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unavailable(service);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(service);
        }
        if (response.statusCode() == HttpStatus.NOT_FOUND.value()) {
            throw new ApiException(HttpStatus.NOT_FOUND, "not_found", "There is no such page.");
        }
        if (response.statusCode() != HttpStatus.OK.value()) {
            throw unavailable(service);
        }
        return new Answer(response.body(), response.headers().firstValue("Content-Type").orElse("application/octet-stream"));
    }

    private static ApiException unavailable(String service) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable",
                "This part of the portal is unavailable for a moment (" + service + " did not answer). Try again shortly.");
    }
}
