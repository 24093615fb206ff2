package com.vlaapi.gateway.routing;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.web.server.ServerWebExchange;

/**
 * Whether a request's route is metered: held to the burst limit and the monthly quota, counted, and
 * billed. A route says {@code metered: false} in its metadata (application.yml) when its requests
 * are not inference (the models' contract and the parity check); every other route is metered.
 * One attribute and one map lookup, so a metered request pays nothing noticeable for the question.
 */
public final class RouteMetering {

    static final String METADATA_KEY = "metered";

    private RouteMetering() {
    }

    public static boolean metered(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        // YAML's false arrives as a Boolean or, from an environment variable, as the text "false".
        return route == null || !"false".equals(String.valueOf(route.getMetadata().get(METADATA_KEY)));
    }
}
