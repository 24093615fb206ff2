package com.vlaapi.inference.support;

import com.vlaapi.testsupport.http.ApiClient;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * inference-service's one caller, as the tests play it: the gateway forwards a client's JSON body
 * with its internal token and the customer and API key it authenticated.
 */
public final class Gateway {

    public static final String TOKEN = "test-internal-token";
    public static final UUID CUSTOMER = UUID.fromString("0b7c1d7e-3f6a-4c55-9a3e-5d2f6e8a9b10");
    public static final UUID API_KEY = UUID.fromString("6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a09");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Gateway() {
    }

    /** The service called as the gateway calls it; a test overrides a header to step outside that. */
    public static ApiClient calling(ApiClient service) {
        return service.withHeader("X-Internal-Token", TOKEN)
                .withHeader("X-Vla-Customer-Id", CUSTOMER.toString())
                .withHeader("X-Vla-Api-Key-Id", API_KEY.toString());
    }

    /** A JSON object with the given fields, as a client would write it. */
    public static String body(Object... keysAndValues) {
        var node = JSON.createObjectNode();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            node.putPOJO((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return JSON.writeValueAsString(node);
    }
}
