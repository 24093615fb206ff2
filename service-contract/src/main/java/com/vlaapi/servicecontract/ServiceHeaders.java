package com.vlaapi.servicecontract;

/**
 * The headers services send one another. The gateway sets the customer and key headers after it
 * authenticated an API key; inference-service trusts them only with a valid internal token.
 */
public final class ServiceHeaders {

    /** One id per request, in every response and error body; see {@link RequestIds} for who mints it. */
    public static final String REQUEST_ID = "X-Request-Id";
    /** The shared secret of service-to-service calls ({@code vla.internal-token}). */
    public static final String INTERNAL_TOKEN = "X-Internal-Token";
    /** The customer the gateway authenticated. */
    public static final String CUSTOMER_ID = "X-Vla-Customer-Id";
    /** The API key the gateway authenticated the customer by, when there was one. */
    public static final String API_KEY_ID = "X-Vla-Api-Key-Id";

    private ServiceHeaders() {
    }
}
